UdeskCCPaasApiClassInstance.GetWebPhoneInfoAsync().then(resp=>{})
