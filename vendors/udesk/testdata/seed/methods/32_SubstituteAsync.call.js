UdeskCCPaasApiClassInstance.SubstituteAsync({ CallId: "xxxxxxxxx", AgentId: "xxx" }).then(resp=>{})
