UdeskCCPaasApiClassInstance.SetPhoneModeAsync("voip").then(resp=>{})
