UdeskCCPaasApiClassInstance.ConsultationAsync({ CallId: "xxxxxxxxx", AgentId: "xxx" }).then(resp=>{})
