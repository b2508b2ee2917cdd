// Package wire is the Emicnet (易米) jssip-emicnet wire contract that
// agentbar defines (docs/vendors/emicnet.md): the HTTP account API
// (getUser, getUser2, webApiHandler), SIP over WSS with the agentbar
// headers, command and result bodies carried by SIP MESSAGE and its 200
// OK, event bodies carried by MESSAGE platform → agent, the code tables
// with the seed's Chinese meanings, agent-facing errors with
// Sentence(lang), and the encrypted-number scheme of §8. The SDK documents
// JavaScript calls, not a wire format; this package carries exactly the
// SDK's names, fields and codes so that the adapter (vendors/emicnet) and
// the simulator (vendors/emicnet/emicsim) speak one contract, and
// correcting it against a real server touches one place.
//
// Decoding is lenient where JavaScript is (numbers as strings and strings
// as numbers); encoding is exact. Every decoder bounds its input
// (MaxHTTPBody, MaxMessageBody) and has a Fuzz target.
//
// STABLE: the exported API is settled (additions only from here on).
//
// CONTRACT CHANGES (against the lead's draft of docs/vendors/emicnet.md;
// the doc is updated to match):
//
//  1. Command results: code 200 success; refusals use 400 bad data, 403
//     not allowed for this seat, 404 no such call, 409 wrong state, 500
//     server error, 501 unknown command (Result* constants).
//  2. Monitor commands (startCallMonitor … terminateCall) always answer
//     code 200 when the body was understood; success or failure is data
//     {"result": 0|1} (the SDK's monitorcb gets only the number), with the
//     reason of a failure in info. A non-supervisor gets result 1 as well.
//  3. transferPBXCall's result data: {"type": "transferCallSuccess"|
//     "transferCallFaild", "data": {"c","gid","number","a","info"}} (the
//     inner data is TransferDetail; the seed leaves it open).
//  4. repCallStatus also carries callee (as the vendor's sample code
//     reads it); callTime and endTime are Unix seconds as numbers, endTime
//     "" on the first notification.
//  5. REGISTER refusals: 401 after the digest = wrong password, 403 =
//     account/enterprise disabled or a gid the agent is not in, 404 = no
//     such extension (RegisterError has the sentences).
//  6. userData adds switchnumber, callintype and supervisor (bool).
//  7. Encrypted numbers: a padding fault is ErrUndecryptable; a result
//     with a non-digit is ErrNotDigits; both come as *DecryptError with the
//     decrypted text when there is one.
//  8. Ordering the simulator keeps, and what a client must still accept:
//     a command's result goes out before the events it causes, and
//     newPBXCall before its INVITE (the INVITE waits up to 2 s for it);
//     but the INVITE that rings the seat's own device for a call it placed
//     (Call-Info answer-after=0, X-Emic-CcNumber) may arrive before the
//     call command's result: answer it while a call command is pending.
//  9. statusChanged {status: 0} is not sent after logout: the binding is
//     gone with the unregister; the REGISTER's 200 is the client's proof.
//  10. After kickedOffLine the client must not unregister: an Expires: 0
//     REGISTER removes the seat's binding whichever socket it came from,
//     so after 895 it would sign the new sign-in out.
//  11. answerPBXCall in voip mode (callintype 2) is refused with 409: the
//     client answers the INVITE. terminate while ringing refuses the call;
//     the center then sets the seat busy (statusChanged 2) and offers the
//     call to another seat, as it does for an offer not answered.
//  12. repCallStatus goes to the supervisors sharing a skill group with the
//     seat (whatever gid they signed in to), for calls that started after
//     they signed in; the start is when the seat's leg is answered.
//  13. transferCallFaild's a: 503 the member is busy, 480 offline, 404 not
//     in the group or no such seat; a number of 5+ digits that is no
//     extension is an outside number, transferred blind.
//  14. A REGISTER from a socket whose seat another sign-in took (895) is
//     refused (403); a registration not refreshed by 90 % of its expiry is
//     kicked with 897.
package wire
