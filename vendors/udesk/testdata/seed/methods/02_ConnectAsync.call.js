UdeskCCPaasApiClassInstance.ConnectAsync().then(resp=>{})
