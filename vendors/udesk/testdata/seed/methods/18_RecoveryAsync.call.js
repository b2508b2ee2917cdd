UdeskCCPaasApiClassInstance.RecoveryAsync({ CallId: "xxxxxxxxx" }).then(resp=>{})
