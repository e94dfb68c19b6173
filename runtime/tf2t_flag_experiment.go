package runtime

// tf2tYieldAfterSignal is a TEMPORARY tf2t experiment switch.
var tf2tYieldAfterSignal = false
