UdeskCCPaasApiClassInstance.ConsultationToThreeWayAsync({ CallId: "xxxxxxxxx" }).then(resp=>{})
