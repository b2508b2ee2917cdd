UdeskCCPaasApiClassInstance.ConsultationToTransferAsync({ CallId: "xxxxxxxxx", AgentId: "xxx" }).then(resp=>{})
