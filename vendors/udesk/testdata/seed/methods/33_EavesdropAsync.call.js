UdeskCCPaasApiClassInstance.EavesdropAsync({ CallId: "xxxxxxxxx", AgentId: "xxx" }).then(resp=>{})
