UdeskCCPaasApiClassInstance.AnswerAsync().then(resp=>{})
