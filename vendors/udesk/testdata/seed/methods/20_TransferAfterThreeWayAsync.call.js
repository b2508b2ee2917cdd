UdeskCCPaasApiClassInstance.TransferAfterThreeWayAsync({ CallId: "xxxxxxxxx" }).then(resp=>{})
