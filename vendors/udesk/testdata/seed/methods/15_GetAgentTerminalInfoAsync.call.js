UdeskCCPaasApiClassInstance.GetAgentTerminalInfoAsync({TerminalType: "voip"}).then(resp=>{})
