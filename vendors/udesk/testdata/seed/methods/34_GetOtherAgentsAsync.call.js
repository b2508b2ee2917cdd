UdeskCCPaasApiClassInstance.GetOtherAgentsAsync({ State: "idle" }).then(resp=>{})
