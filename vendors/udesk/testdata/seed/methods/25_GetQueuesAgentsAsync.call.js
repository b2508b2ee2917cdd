UdeskCCPaasApiClassInstance.GetQueuesAgentsAsync().then(resp=>{})
