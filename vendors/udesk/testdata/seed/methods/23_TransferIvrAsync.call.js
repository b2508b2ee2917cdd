UdeskCCPaasApiClassInstance.TransferIvrAsync({ CallId: "xxxxxxxxx", IvrId: "", NodeId: "", JumpType: "" }).then(resp=>{})
