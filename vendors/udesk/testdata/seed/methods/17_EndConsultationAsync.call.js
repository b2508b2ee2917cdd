UdeskCCPaasApiClassInstance.EndConsultationAsync({ CallId: "xxxxxxxxx" }).then(resp=>{})
