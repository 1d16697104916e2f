// Scripts for the generated two-person conversation (two_person_talk.h) longer than the built-in
// one: a hand-written bank of topics, each used at most once, so a long talk never repeats a
// sentence and clip selection (which drops clips that repeat another clip's words) finds as many
// distinct clips in it as its length allows. Pure text, no synthesis.
#pragma once

#include <vector>

#include "compose/two_person_talk.h"
#include "cutroom/status.h"

namespace cutroom::compose {

// The speech time of `turns` as WriteTwoPersonTalk lays them out, estimated from their word
// count (flite speaks about three words a second) plus the pause around every turn. Flite is a
// little slower than the estimate, so real talks come out slightly longer.
double EstimatedTalkSeconds(const std::vector<TalkTurn>& turns);

// The longest conversation LongConversation can return, in whole tenths of a minute (every topic
// of the bank, estimated as above).
double MaxLongConversationMinutes();

// A conversation of at least `minutes` of estimated speech: whole topics of the bank in order
// (a strong hook question, a strong answer with a number and a payoff, one or two weak filler
// turns), the speakers alternating turn by turn, no sentence used twice. InvalidArgument when
// `minutes` is not positive or exceeds MaxLongConversationMinutes().
Result<std::vector<TalkTurn>> LongConversation(double minutes);

}  // namespace cutroom::compose
