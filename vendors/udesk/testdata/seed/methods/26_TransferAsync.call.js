UdeskCCPaasApiClassInstance.TransferAsync({ CallId: "xxxxxxxxx", AgentId: "xxxxxxxxx" }).then(resp=>{})
UdeskCCPaasApiClassInstance.TransferAsync({ CallId: "xxxxxxxxx", AgentPhone: "xxxxxxxxx" }).then(resp=>{})
