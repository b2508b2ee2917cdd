UdeskCCPaasApiClassInstance.SetSpNumberAsync({OwnerType: "app", DisplayNumber: "xxxxxxxx"}).then(resp=>{})
