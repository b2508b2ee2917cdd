UdeskCCPaasApiClassInstance.GetPhoneModesAsync().then(resp=>{})
