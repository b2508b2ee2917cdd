{
    Code: "0000",
    Data: [{
        Name: "郑玲队列",
        QueueId: "2",
        Strategy: 2,
        Timeout: 60,
    }],
    Message: "",
    Visible: false
}
