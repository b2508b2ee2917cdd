{
    Code: "0000",
    Data: {
        list: [],     
        defaultId: "xxxxxx", 
    },
    Message: "",
    Visible: false
}
