UdeskCCPaasApiClassInstance.GetCurrentSpNumberAsync({OwnerType: "app"}).then(resp=>{})
