UdeskCCPaasApiClassInstance.SetAgentStateAsync("busy").then(resp=>{})
UdeskCCPaasApiClassInstance.SetAgentStateAsync("onBreak", 101).then(resp=>{})
