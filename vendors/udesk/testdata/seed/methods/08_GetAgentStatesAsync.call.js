UdeskCCPaasApiClassInstance.GetAgentStatesAsync().then(resp=>{})
