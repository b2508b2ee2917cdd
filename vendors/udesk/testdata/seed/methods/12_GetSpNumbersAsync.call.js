UdeskCCPaasApiClassInstance.GetSpNumbersAsync({OwnerType: "app"}).then(resp=>{})
