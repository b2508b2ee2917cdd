UdeskCCPaasApiClassInstance.HangupAsync(CallId).then(resp=>{})
