UdeskCCPaasApiClassInstance.MakeCallAsync("xxxxxxxxxxx").then(resp=>{})
