UdeskCCPaasApiClassInstance.RetrieveAfterThreeWayAsync({ CallId: "xxxxxxxxx" }).then(resp=>{})
