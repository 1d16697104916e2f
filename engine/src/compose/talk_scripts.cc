#include "compose/talk_scripts.h"

#include <cmath>
#include <sstream>
#include <string>

namespace cutroom::compose {
namespace {

// Flite speaks the built-in script (195 words, 12 turns) in 66.6 s of turn audio: 2.93 words a
// second. The estimate takes 3.1 so that a talk asked for M minutes comes out at least M long.
constexpr double kWordsPerSecond = 3.1;

// One topic: a strong hook question, a strong answer (a number and a payoff), then one or two
// weak turns (fillers, trailing off). Every sentence is written once, with its own wording, so
// no two stretches of a long talk share many word pairs.
struct Topic {
  const char* hook;
  const char* answer;
  const char* filler;
  const char* second_filler;  // nullptr: the topic has one weak turn
};

constexpr Topic kTopics[] = {
    {"Why does pasta water need so much salt?",
     "Pasta absorbs the water it cooks in, so that pot is your only chance to season it from the "
     "inside. Use about one spoonful for every four cups, and the sauce suddenly needs half as "
     "much cheese.",
     "Huh. Okay, sure, salt, I suppose that tracks, more or less.",
     "Mm, yeah, so, kitchens, and, um, all of that stuff."},
    {"What is the cheapest way to become a millionaire?",
     "Put three hundred dollars a month into a plain index fund starting at twenty five. At seven "
     "percent a year, that grows past one million by sixty five, without picking a single stock.",
     "Wow, well, I, uh, never really did the math on any of that.", nullptr},
    {"Is it true that naps make you more tired?",
     "Only the long ones. A twenty minute nap keeps you in light sleep, while ninety minutes "
     "gives you a full cycle. Anything in between drops you into deep sleep, and waking from it "
     "feels like a hangover.",
     "Oh, hmm, right, I always just lie down whenever, honestly.",
     "Sure, sure. We nap, we wake up, and then, eh, who knows."},
    {"Could a person actually survive a trip to Mars?",
     "The radiation alone on a nine month flight equals roughly a thousand chest x rays. The "
     "current safety limit for astronauts would be used up in a single round trip, so shielding "
     "matters more than the rocket.",
     "Goodness. Uh, so, space is, well, a lot to take in.", nullptr},
    {"Which invention changed daily life more than the internet?",
     "The washing machine. Before it, a family spent about two full days every week on laundry by "
     "hand. Giving back those hours is what let millions of women enter paid work.",
     "Interesting, uh, I kind of lost my train of thought there.",
     "No worries, that happens to me all the time, somehow."},
    {"How many steps a day do you really need?",
     "The ten thousand figure came from a Japanese pedometer advert in nineteen sixty four. Large "
     "studies now show most of the benefit arrives by seven thousand steps, and the gains flatten "
     "after that.",
     "Okay, so, walking, basically, and then, uh, yeah, more walking.", nullptr},
    {"What is the smartest trick for cheaper flights?",
     "Book about two months ahead and fly on a Tuesday or Wednesday. Airlines price those midweek "
     "seats around twenty percent lower because business travellers avoid them.",
     "Mm. Well, I mostly click whatever shows up first on the screen.",
     "Same, and then I regret it later, probably."},
    {"Why do software projects always run late?",
     "Because we estimate the coding and forget everything else. Studies of thousands of projects "
     "found the average one takes twice as long as planned, so double your first guess and you "
     "will usually be right.",
     "Right, uh, deadlines, those, um, those are a whole thing.", nullptr},
    {"Can learning an instrument really make you smarter?",
     "Children who practiced piano for just fifteen months showed measurable growth in the brain "
     "areas for hearing and movement. The trick is daily practice, even ten minutes, rather than "
     "one long weekend session.",
     "Huh, I had a guitar once, it's, uh, somewhere in a closet.",
     "Closets are full of those, I bet."},
    {"What kills more houseplants than anything else?",
     "Too much love, in the form of water. Roughly eight out of ten dead houseplants drown because "
     "their roots rot. Wait until the top two inches of soil are dry, and most plants will outlive "
     "your lease.",
     "Oh, um, oops, that might explain a few of mine, maybe.", nullptr},
    {"When is the best time of day to drink coffee?",
     "Not right after you wake up. Your body's own cortisol peaks in the first hour, so waiting "
     "until about ninety minutes after waking makes the same cup feel stronger and avoids the "
     "early afternoon crash.",
     "I just drink it whenever it's there, to be fair.",
     "Yep, whatever is in the pot, that works too."},
    {"How long does it take an adult to learn a new language?",
     "For an English speaker, Spanish or French takes about six hundred hours of study to reach "
     "working fluency. That is one hour a day for under two years, far less than most people "
     "imagine.",
     "Hmm, maybe, I don't know, I tried an app once and, uh, stopped.", nullptr},
    {"How much of the ocean have we actually explored?",
     "Less than a quarter of the sea floor has been mapped in high detail. We have sharper maps "
     "of the surface of Mars than of the bottom of our own oceans, which is a little "
     "embarrassing.",
     "Ha, wow, that's kind of funny, in a weird way.",
     "Deep water, dark, fish with lights, and, um, whatever else."},
    {"What is the fastest way to remember a new name?",
     "Say it back out loud within the first five seconds and link it to a picture. People who "
     "repeat a name once right away recall it about twice as often the next day.",
     "Right, yes, sorry, what was your name again? Kidding, kidding.", nullptr},
    {"Why should anyone care about honey bees?",
     "About one third of the food we eat depends on pollinators. A single hive visits something "
     "like two million flowers to make one pound of honey, and without them, almonds and apples "
     "would cost a fortune.",
     "Bees, okay, I mostly just run from them, if I'm honest.",
     "Fair enough, that is also a strategy."},
    {"Are electric cars really cleaner over their whole life?",
     "Yes, even counting the battery. Building one produces more carbon at first, but after "
     "roughly eighteen months of normal driving the electric car pulls ahead, and it stays ahead "
     "for the next decade.",
     "Okay. Uh, cars, batteries, charging cables, all of that jazz.", nullptr},
    {"How can a busy person read fifty books a year?",
     "Read twenty pages every morning before touching your phone. That takes about half an hour, "
     "and over a year it adds up to more than seven thousand pages, which is roughly fifty "
     "average books.",
     "Well, um, I keep meaning to start one of these weeks.",
     "Me too, there's a pile next to my bed, sort of staring."},
    {"What was the biggest volcanic eruption in recorded history?",
     "Mount Tambora in eighteen fifteen. It threw so much ash into the sky that the next year had "
     "no summer at all, and snow fell in New England in June.",
     "Whoa, June snow, that's, uh, hard to picture.", nullptr},
    {"What is the single best tactic for asking for a raise?",
     "Name a specific number first, and make it slightly higher than you expect. The first figure "
     "on the table anchors the whole conversation, and people who open with a precise number end "
     "up with about five percent more.",
     "I always wait for them to say something, um, first.",
     "Which rarely goes anywhere, historically speaking."},
    {"Do dogs really understand human words?",
     "Brain scans show dogs process praise words and tone separately, just like we do. An average "
     "dog learns about eighty five words, and the smartest border collies have learned over a "
     "thousand toy names.",
     "Aw, that's sweet. Mine only knows dinner, and maybe walk.", nullptr},
    {"Why are weather forecasts so often wrong?",
     "They are actually better than you think. A five day forecast today is as accurate as a one "
     "day forecast was in nineteen eighty. The atmosphere is chaotic, so beyond ten days nobody "
     "can do much better than a coin.",
     "Still, it rained on my picnic last week, so there's that.",
     "Classic. Umbrellas, picnics, and, er, bad luck."},
    {"How do chess grandmasters think so many moves ahead?",
     "Mostly they don't. Grandmasters recognize around fifty thousand familiar patterns and only "
     "calculate a handful of lines deeply. Experience replaces brute force, which is why a strong "
     "player can glance at a board and know the right idea.",
     "Oh, I just move the horse around until something happens.", nullptr},
    {"Do we really need eight glasses of water a day?",
     "No, that old rule counted the water already inside food. Around a fifth of what you need "
     "comes from what you eat, so for most healthy adults, simply drinking when thirsty is "
     "enough.",
     "Got it, thirst, I'll try to remember.", "And coffee counts too, right? Kind of? Anyway."},
    {"Why did ancient Roman concrete last two thousand years?",
     "The Romans mixed in volcanic ash and chunks of lime that react with seawater. When tiny "
     "cracks form, water flows in and grows new crystals that seal them, so their harbours "
     "literally heal themselves.",
     "Neat, uh, our sidewalk cracked after like three winters.", nullptr},
    {"Why do smart people procrastinate so much?",
     "Procrastination is about feelings, not time. We delay tasks that make us anxious. Promise "
     "yourself just two minutes on the dreaded task, because once you start, most people keep "
     "going for over twenty.",
     "I'll, um, get to that advice eventually.",
     "Tomorrow, then, or the day after, or, uh, someday."},
    {"What makes an ordinary photo look professional?",
     "Light, not the camera. Shoot in the first hour after sunrise or the last hour before "
     "sunset, and put your subject one third of the way across the frame. Those two habits beat a "
     "three thousand dollar lens.",
     "Hmm, my phone just does, like, whatever it wants, mostly.", nullptr},
    {"How strong is an ant compared to a human?",
     "Some ants can carry fifty times their own body weight. For a person, that would be like "
     "lifting a small truck over your head, and the secret is simply being tiny, since muscle "
     "strength shrinks slower than weight does.",
     "Yikes. Ants, tiny trucks, got it.", "And, um, they're in my kitchen again, apparently."},
    {"What is the easiest way to cut your heating bill?",
     "Turn the thermostat down by just one degree. That small change trims around six percent "
     "off a typical heating bill, and after a few days almost nobody notices the difference.",
     "My roommate would, uh, probably complain about it anyway.", nullptr},
    {"Can an ordinary person train for a marathon in six months?",
     "Yes, if they can already jog for thirty minutes. Most beginner plans add about ten percent "
     "of distance per week, and that slow build keeps roughly eighty percent of first timers free "
     "of injury.",
     "Phew, marathon, ugh, even the word makes my knees hurt.",
     "My knees too, and my, um, general motivation."},
    {"Why did people start using coins in the first place?",
     "The first coins appeared in Lydia around two thousand six hundred years ago, stamped from a "
     "natural mix of gold and silver. Traders no longer had to weigh metal at every sale, so "
     "markets suddenly moved faster.",
     "Oh, interesting, I only ever use my card these days, though.", nullptr},
    {"How many times a day do people check their phones?",
     "The typical adult unlocks a phone about ninety six times a day, roughly once every ten "
     "minutes while awake. Moving the apps you scroll most to a second screen cuts that count by "
     "almost a third.",
     "Guilty, I just checked mine, um, twice.", "Who hasn't, and, er, anyway, where was I."},
    {"What is the secret to great homemade bread?",
     "Time, not kneading. Let the dough rise slowly in the fridge for a day or two, and the yeast "
     "builds flavor that no fast recipe can match. Twelve hours of waiting beats twenty minutes of "
     "hard work.",
     "Mm, bread, nice, though I usually just buy it, heh.", nullptr},
    {"Does money actually buy happiness?",
     "Up to a point, and the point is higher than we thought. A large study of thirty three "
     "thousand people found happiness kept rising with income well past seventy five thousand "
     "dollars, but spending on experiences helped far more than spending on things.",
     "Wow, so, okay, concerts instead of couches, maybe?",
     "Possibly, I mean, couches are pretty comfy, though, so, hmm."},
    {"Is the moon really moving away from Earth?",
     "Yes, about four centimeters every year, roughly the speed your fingernails grow. Hundreds of "
     "millions of years from now, total solar eclipses will no longer happen, because the moon "
     "will look too small to cover the sun.",
     "Ah, that's, uh, sad, in a slow motion sort of way.", nullptr},
    {"Why is the keyboard layout so strange?",
     "The layout dates from typewriters in the eighteen seventies, arranged partly so common "
     "letter pairs sat apart and the metal arms jammed less. Faster layouts exist, but after one "
     "hundred fifty years, habit wins.",
     "Never thought about it, I hunt and peck, mostly.",
     "Two fingers, full speed, no regrets here."},
    {"What are the real odds of being struck by lightning?",
     "In a given year, about one in a million for someone in the United States. Over an entire "
     "lifetime it is closer to one in fifteen thousand, and most strikes happen to people "
     "outdoors for fun, not at work.",
     "Oh, um, well, I'll stay inside then.", nullptr},
    {"How can a team waste less time in meetings?",
     "Cut every meeting to twenty five minutes and require a written agenda. Teams that tried "
     "this reclaimed around four hours per person each week, and decisions came faster, because "
     "nobody wanted to run over.",
     "So, uh, that sounds nice, in theory, at least.",
     "In theory, and then the calendar happens, and, eh."},
    {"Why does sugar harm your teeth so much?",
     "Bacteria in your mouth eat sugar and release acid for about twenty minutes afterward. So "
     "how often you snack matters more than how much, and sipping soda all afternoon is far worse "
     "than one dessert after dinner.",
     "Oof. Noted, I think, more or less, partly.", nullptr},
    {"How much water does one big tree move in a day?",
     "A large oak can pull around four hundred liters from the ground on a hot summer day and "
     "breathe it out through its leaves. A city street lined with trees can be five degrees "
     "cooler than a bare one.",
     "Trees, nice, shade, birds, and, uh, leaves on the car.",
     "Yes, the leaves, always the leaves, every autumn, ugh."},
    {"Why do airplane windows have rounded corners?",
     "Square windows caused tragedy. In the nineteen fifties, two early jets broke apart because "
     "stress gathered at the sharp corners. Curves spread that force evenly, and every passenger "
     "window since has been rounded.",
     "Wow, I'll, uh, look at that differently next flight.", nullptr},
    {"Why is laughter so contagious?",
     "Our brains have mirror systems that prime us to copy expressions. People are about thirty "
     "times more likely to laugh with others than alone, so laughter is mostly a social signal, "
     "not a reaction to jokes.",
     "See, now I'm laughing, sort of, for no reason.", "Exactly, uh, there it goes, and, well."},
    {"Does recycling plastic actually work?",
     "Mostly not. Only about nine percent of all plastic ever made has been recycled. Glass and "
     "aluminum are different, since an aluminum can is back on the shelf in sixty days, so those "
     "are worth rinsing and sorting.",
     "Hmm, cans yes, bottles, eh, sometimes.", nullptr},
};

int WordCount(const std::string& text) {
  std::istringstream in(text);
  int n = 0;
  for (std::string word; in >> word;) ++n;
  return n;
}

// Appends `topic` to `turns`, the speakers continuing to alternate.
void AppendTopic(const Topic& topic, std::vector<TalkTurn>& turns) {
  auto add = [&](const char* text, bool strong) {
    const int speaker = turns.empty() ? 0 : 1 - turns.back().speaker;
    turns.push_back({speaker, text, strong});
  };
  add(topic.hook, true);
  add(topic.answer, true);
  add(topic.filler, false);
  if (topic.second_filler != nullptr) add(topic.second_filler, false);
}

}  // namespace

double EstimatedTalkSeconds(const std::vector<TalkTurn>& turns) {
  if (turns.empty()) return 0;
  double seconds = kTurnPauseS;  // after the last turn
  for (const TalkTurn& turn : turns)
    seconds += kTurnPauseS + WordCount(turn.text) / kWordsPerSecond;
  return seconds;
}

double MaxLongConversationMinutes() {
  std::vector<TalkTurn> all;
  for (const Topic& topic : kTopics) AppendTopic(topic, all);
  return std::floor(EstimatedTalkSeconds(all) / 6.0) / 10.0;
}

Result<std::vector<TalkTurn>> LongConversation(double minutes) {
  const double max_minutes = MaxLongConversationMinutes();
  if (!(minutes > 0)) return InvalidArgumentError("the conversation length must be positive");
  if (minutes > max_minutes) {
    std::ostringstream message;
    message << "a conversation of " << minutes << " minutes is longer than the built-in topics "
            << "allow: at most " << max_minutes << " minutes";
    return InvalidArgumentError(message.str());
  }
  std::vector<TalkTurn> turns;
  for (const Topic& topic : kTopics) {
    if (EstimatedTalkSeconds(turns) >= minutes * 60) break;
    AppendTopic(topic, turns);
  }
  return turns;
}

}  // namespace cutroom::compose
