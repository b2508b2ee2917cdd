 UdeskCCPaasApiClassInstance.GetNumberPoolAndSpNumAsync({type}).then(resp => {})
