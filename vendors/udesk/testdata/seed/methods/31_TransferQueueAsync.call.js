UdeskCCPaasApiClassInstance.TransferQueueAsync({ CallId: "xxxxxxxxx", QueueId: "xxx" }).then(resp=>{})
