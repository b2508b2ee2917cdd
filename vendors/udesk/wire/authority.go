package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// CallAuthority is the platform's "allowed now" per button, sent with
// AdvancedCallStatusChanged (and possibly the call events). Field comments
// are the document's.
type CallAuthority struct {
	OnBarButtonSwitch              FlexBool `json:"OnBarButtonSwitch"`              // 取回按钮的显隐
	AllowTransferAfterThreeWay     FlexBool `json:"AllowTransferAfterThreeWay"`     // 三方后转接
	AllowHold                      FlexBool `json:"AllowHold"`                      // 保持
	AllowConsultation              FlexBool `json:"AllowConsultation"`              // 咨询
	AllowThreeWayAfterConsultation FlexBool `json:"AllowThreeWayAfterConsultation"` // 咨询后三方
	AllowTransferAfterConsultation FlexBool `json:"AllowTransferAfterConsultation"` // 咨询后转接
	AllowHangup                    FlexBool `json:"AllowHangup"`                    // 挂断
	AllowAnswer                    FlexBool `json:"AllowAnswer"`                    // 接听
	AllowTransfer                  FlexBool `json:"AllowTransfer"`                  // 转接
	AllowEndConsultation           FlexBool `json:"AllowEndConsultation"`           // 咨询取回
	AllowCancel                    FlexBool `json:"AllowCancel"`                    // 三方取回
	AllowUnHold                    FlexBool `json:"AllowUnHold"`                    // 恢复
	AllowThreeWay                  FlexBool `json:"AllowThreeWay"`                  // 三方
	AdvancedCallStatus             FlexBool `json:"AdvancedCallStatus"`             // 当前的状态
}

// OptAuthority is a CallAuthority that may be absent. The call events'
// example writes an absent one as "" (CallAuthority: ""); that is also how
// it encodes.
type OptAuthority struct {
	A *CallAuthority
}

// MarshalJSON writes the object, or "" when absent.
func (o OptAuthority) MarshalJSON() ([]byte, error) {
	if o.A == nil {
		return []byte(`""`), nil
	}
	return json.Marshal(o.A)
}

// UnmarshalJSON reads an object; "", null and {} ... an object is present,
// "" and null are absent.
func (o *OptAuthority) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	switch {
	case string(t) == "null" || string(t) == `""`:
		o.A = nil
		return nil
	case len(t) > 0 && t[0] == '{':
		var a CallAuthority
		if err := json.Unmarshal(t, &a); err != nil {
			return fmt.Errorf("%w: CallAuthority: %v", ErrMalformedFrame, err)
		}
		o.A = &a
		return nil
	}
	return fmt.Errorf("%w: CallAuthority must be an object or \"\"", ErrMalformedFrame)
}
