UdeskCCPaasApiClassInstance.GetIvrNodesAsync("25").then(resp=>{})
