 UdeskCCPaasApiClassInstance.SetSpNumberPoolNumAsync({ type,id}).then(resp => {})
