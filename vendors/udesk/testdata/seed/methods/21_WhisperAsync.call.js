UdeskCCPaasApiClassInstance.WhisperAsync({ CallId: "xxxxxxxxx", AgentId: "xxxxxxxxx" }).then(resp=>{})
