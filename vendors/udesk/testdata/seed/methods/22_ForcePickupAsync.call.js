UdeskCCPaasApiClassInstance.ForcePickupAsync({ CallId: "xxxxxxxxx", AgentId: "xxxxxxxxx", AgentPhone: "xxxxxx" }).then(resp=>{})
