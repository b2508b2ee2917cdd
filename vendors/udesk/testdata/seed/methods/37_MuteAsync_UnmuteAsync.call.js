 UdeskCCPaasApiClassInstance.MuteAsync({ CallId: 'xxxxxx' }).then(resp=&gt;{})
 UdeskCCPaasApiClassInstance.UnmuteAsync({ CallId: 'xxxxxx' }).then(resp=&gt;{})
