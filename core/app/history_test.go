package app

import "agentbar/core/control"

func historyQueryAll() control.HistoryQuery { return control.HistoryQuery{Limit: 100} }
