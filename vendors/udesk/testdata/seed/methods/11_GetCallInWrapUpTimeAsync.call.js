UdeskCCPaasApiClassInstance.GetCallInWrapUpTimeAsync().then(resp=>{})
