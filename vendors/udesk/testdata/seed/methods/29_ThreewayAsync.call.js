UdeskCCPaasApiClassInstance.ThreewayAsync({ CallId: "xxxxxxxxx", AgentId: "xxx" }).then(resp=>{})
