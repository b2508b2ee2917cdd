UdeskCCPaasApiClassInstance.HoldAsync({ CallId: "xxxxxxxxx" }).then(resp=>{})
