#include "compose/compose_style.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "compose/compose_job.h"
#include "test_support.h"

namespace cutroom::compose {
namespace {

using cutroom::testing::TempDir;
using cutroom::testing::WriteFile;

// The message of a parse that must fail.
std::string ParseError(const std::string& json, const std::string& base_dir = "/base") {
  auto style = ParseComposeStyle(json, base_dir);
  if (style.ok()) return "(parsed)";
  EXPECT_EQ(style.status().code(), StatusCode::kInvalidArgument) << style.status().ToString();
  return style.status().message();
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

constexpr const char* kEveryField = R"({
  "width": 1920, "height": 1080, "fps": "30000/1001",
  "look": {"background": "#000000", "text": "#ffffff", "accent": "#00FF00",
           "font_family": "Liberation Serif", "font_file": "fonts/brand.ttf",
           "transition": "slide", "transition_s": 0.8, "motion": "pan_left",
           "text_animation": "pop", "text_animation_s": 1.5},
  "scenes": [{"transition": "zoom", "motion": "none"},
             {"background": "#112233", "font_file": "/abs/other.otf", "text_animation": "fade"}],
  "captions": false, "caption_style": "karaoke", "caption_position": "top",
  "logo": "brand/logo.png", "logo_corner": "bottom_left", "logo_width": 0.2,
  "logo_opacity": 0.5, "intro": "clips/intro.mp4", "outro": "/abs/outro.mp4",
  "music": "music/bed.mp3", "music_gain_db": -12, "music_duck_db": -20, "voice": "espeak:de",
  "sentence_gap_s": 0.3, "paragraph_pause_s": 1.2, "end_card_s": 5, "max_duration_s": 120.5
})";

TEST(ComposeStyleTest, ParsesEveryField) {
  auto parsed = ParseComposeStyle(kEveryField, "/work/job");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const ComposeStyle& s = *parsed;
  EXPECT_EQ(s.width, 1920);
  EXPECT_EQ(s.height, 1080);
  EXPECT_EQ(s.fps, Rational::Make(30000, 1001));
  EXPECT_EQ(s.look.background, "#000000");
  EXPECT_EQ(s.look.text, "#ffffff");
  EXPECT_EQ(s.look.accent, "#00FF00");
  EXPECT_EQ(s.look.font_family, "Liberation Serif");
  EXPECT_EQ(s.look.font_file, "/work/job/fonts/brand.ttf");
  EXPECT_EQ(s.look.transition, timeline::TransitionKind::kSlide);
  EXPECT_DOUBLE_EQ(s.look.transition_s, 0.8);
  EXPECT_EQ(s.look.motion, Motion::kPanLeft);
  EXPECT_EQ(s.look.text_animation, timeline::OverlayAnimation::kPop);
  EXPECT_DOUBLE_EQ(s.look.text_animation_s, 1.5);
  ASSERT_EQ(s.scenes.size(), 2u);
  // A scene starts from the look and overrides what it names.
  EXPECT_EQ(s.scenes[0].transition, timeline::TransitionKind::kZoom);
  EXPECT_EQ(s.scenes[0].motion, Motion::kNone);
  EXPECT_EQ(s.scenes[0].background, "#000000");
  EXPECT_EQ(s.scenes[0].font_file, "/work/job/fonts/brand.ttf");
  EXPECT_EQ(s.scenes[1].background, "#112233");
  EXPECT_EQ(s.scenes[1].font_file, "/abs/other.otf");
  EXPECT_EQ(s.scenes[1].text_animation, timeline::OverlayAnimation::kFade);
  EXPECT_EQ(s.scenes[1].transition, timeline::TransitionKind::kSlide);
  EXPECT_EQ(&s.LookOf(1), &s.scenes[1]);
  EXPECT_EQ(&s.LookOf(2), &s.look);
  EXPECT_FALSE(s.captions);
  EXPECT_EQ(s.caption_style, "karaoke");
  EXPECT_EQ(s.caption_position, timeline::CaptionPosition::kTop);
  EXPECT_EQ(s.logo, "/work/job/brand/logo.png");
  EXPECT_EQ(s.logo_corner, LogoCorner::kBottomLeft);
  EXPECT_DOUBLE_EQ(s.logo_width, 0.2);
  EXPECT_DOUBLE_EQ(s.logo_opacity, 0.5);
  EXPECT_EQ(s.intro, "/work/job/clips/intro.mp4");
  EXPECT_EQ(s.outro, "/abs/outro.mp4");
  EXPECT_EQ(s.music, "/work/job/music/bed.mp3");
  EXPECT_DOUBLE_EQ(s.music_gain_db, -12);
  EXPECT_DOUBLE_EQ(s.music_duck_db, -20);
  EXPECT_EQ(s.voice, "espeak:de");
  EXPECT_DOUBLE_EQ(s.sentence_gap_s, 0.3);
  EXPECT_DOUBLE_EQ(s.paragraph_pause_s, 1.2);
  EXPECT_DOUBLE_EQ(s.end_card_s, 5);
  EXPECT_DOUBLE_EQ(s.max_duration_s, 120.5);
}

TEST(ComposeStyleTest, EmptyObjectGivesTheDefaults) {
  auto parsed = ParseComposeStyle("{}", "/base");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(ComposeStyleToJson(*parsed), ComposeStyleToJson(ComposeStyle{}));
  EXPECT_EQ(parsed->width, 1080);
  EXPECT_EQ(parsed->height, 1920);
  EXPECT_EQ(parsed->look.transition, timeline::TransitionKind::kCrossfade);
  EXPECT_TRUE(parsed->logo.empty()) << "an empty path stays empty, not the base folder";
}

TEST(ComposeStyleTest, UnknownFieldsNameTheirPath) {
  EXPECT_TRUE(StartsWith(ParseError(R"({"colour": "#000000"})"), "colour: unknown field (known: "));
  EXPECT_TRUE(StartsWith(ParseError(R"({"look": {"backgrund": "#000000"}})"),
                         "look.backgrund: unknown field"));
  std::string scene = ParseError(R"({"scenes": [{}, {"motoin": "none"}]})");
  EXPECT_TRUE(StartsWith(scene, "scenes[1].motoin: unknown field")) << scene;
  EXPECT_NE(scene.find("motion"), std::string::npos) << "lists the known fields: " << scene;
}

TEST(ComposeStyleTest, WrongTypesNameThePathAndWhatWasFound) {
  EXPECT_EQ(ParseError(R"({"width": "1080"})"), "width: expected an integer, got string \"1080\"");
  EXPECT_EQ(ParseError(R"({"captions": 1})"), "captions: expected true or false, got number 1");
  EXPECT_EQ(ParseError(R"({"look": {"transition_s": "0.4"}})"),
            "look.transition_s: expected a number, got string \"0.4\"");
  EXPECT_EQ(ParseError(R"({"scenes": {}})"), "scenes: expected an array, got an object");
  EXPECT_EQ(ParseError(R"({"look": []})"), "look: expected an object, got an array");
  EXPECT_EQ(ParseError("[]"), "style: expected an object, got an array");
  EXPECT_TRUE(StartsWith(ParseError(R"({"fps": 29.97})"), "fps: expected a frame rate"));
}

TEST(ComposeStyleTest, BadColours) {
  EXPECT_EQ(ParseError(R"({"look": {"accent": "#FFF"}})"),
            "look.accent: colour '#FFF' is not #RRGGBB");
  EXPECT_EQ(ParseError(R"({"scenes": [{"background": "#12345G"}]})"),
            "scenes[0].background: colour '#12345G' is not #RRGGBB");
  EXPECT_EQ(ParseError(R"({"look": {"text": "white"}})"),
            "look.text: colour 'white' is not #RRGGBB");
}

TEST(ComposeStyleTest, BadEnumsListTheKnownValues) {
  EXPECT_EQ(ParseError(R"({"look": {"transition": "wipe"}})"),
            "look.transition: unknown transition 'wipe' (known: cut, crossfade, slide, zoom)");
  EXPECT_EQ(ParseError(R"({"look": {"motion": "zoom"}})"),
            "look.motion: unknown motion 'zoom' (known: none, zoom_in, zoom_out, pan_left, "
            "pan_right)");
  EXPECT_EQ(ParseError(R"({"look": {"text_animation": "spin"}})"),
            "look.text_animation: unknown text animation 'spin' (known: none, fade, rise, pop)");
  EXPECT_EQ(ParseError(R"({"caption_position": "middle"})"),
            "caption_position: unknown caption position 'middle' (known: bottom, lower_third, "
            "center, top)");
  EXPECT_EQ(ParseError(R"({"logo_corner": "top"})"),
            "logo_corner: unknown logo corner 'top' (known: top_left, top_right, bottom_left, "
            "bottom_right)");
  std::string style = ParseError(R"({"caption_style": "fancy"})");
  EXPECT_TRUE(StartsWith(style, "caption_style: unknown caption style 'fancy' (known: "));
  EXPECT_NE(style.find("highlight_word"), std::string::npos);
}

TEST(ComposeStyleTest, RangesAreChecked) {
  EXPECT_EQ(ParseError(R"({"width": 1081})"), "width: 1081 must be even");
  EXPECT_EQ(ParseError(R"({"height": 8})"), "height: 8 is outside 16..8192");
  EXPECT_EQ(ParseError(R"({"height": 8194})"), "height: 8194 is outside 16..8192");
  EXPECT_EQ(ParseError(R"({"fps": "0"})"), "fps: 0 is outside 1..240");
  EXPECT_EQ(ParseError(R"({"fps": 241})"), "fps: 241 is outside 1..240");
  EXPECT_EQ(ParseError(R"({"look": {"transition_s": 6}})"),
            "look.transition_s: 6 s is outside 0..5");
  EXPECT_EQ(ParseError(R"({"scenes": [{"text_animation_s": -1}]})"),
            "scenes[0].text_animation_s: -1 s is outside 0..5");
  EXPECT_TRUE(
      StartsWith(ParseError(R"({"logo_width": 0})"), "logo_width: number 0 must be above 0"));
  EXPECT_TRUE(StartsWith(ParseError(R"({"logo_width": 1.5})"), "logo_width:"));
  EXPECT_EQ(ParseError(R"({"logo_opacity": 1.5})"), "logo_opacity: 1.5 is outside 0..1");
  EXPECT_EQ(ParseError(R"({"music_gain_db": 30})"), "music_gain_db: 30 dB is outside -60..24");
  EXPECT_EQ(ParseError(R"({"music_duck_db": 3})"), "music_duck_db: 3 dB is outside -60..0");
  EXPECT_EQ(ParseError(R"({"sentence_gap_s": 11})"), "sentence_gap_s: 11 s is outside 0..10");
  EXPECT_EQ(ParseError(R"({"paragraph_pause_s": -0.5})"),
            "paragraph_pause_s: -0.5 s is outside 0..10");
  EXPECT_EQ(ParseError(R"({"end_card_s": 31})"), "end_card_s: 31 s is outside 0..30");
  EXPECT_EQ(ParseError(R"({"max_duration_s": 0})"), "max_duration_s: number 0 must be above 0");
  EXPECT_EQ(ParseError(R"({"voice": ""})"), "voice: must not be empty");
  // The limits themselves are accepted.
  EXPECT_TRUE(ParseComposeStyle(R"({"width": 16, "height": 8192, "fps": 240, "logo_width": 1,
      "logo_opacity": 0, "music_gain_db": 24, "music_duck_db": -60, "end_card_s": 30,
      "look": {"transition_s": 5, "text_animation_s": 0}})",
                                "")
                  .ok());
}

TEST(ComposeStyleTest, MalformedAndRepeatedKeys) {
  std::string bad = ParseError("{\n  \"width\": 1080,\n  \"height\" 1920\n}");
  EXPECT_TRUE(StartsWith(bad, "invalid JSON at line 3, column")) << bad;
  EXPECT_EQ(ParseError(R"({"look": {"text": "#FFFFFF", "text": "#000000"}})"),
            "look.text: field appears more than once");
}

TEST(ComposeStyleTest, RelativePathsResolveAgainstTheBaseFolder) {
  auto parsed = ParseComposeStyle(
      R"({"logo": "../brand/logo.png", "music": "./bed.mp3", "intro": "/abs/intro.mp4",
          "outro": "", "look": {"font_file": "f.ttf"}, "scenes": [{"font_file": "s/g.otf"}]})",
      "/jobs/one");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->logo, "/jobs/brand/logo.png");
  EXPECT_EQ(parsed->music, "/jobs/one/bed.mp3");
  EXPECT_EQ(parsed->intro, "/abs/intro.mp4");
  EXPECT_EQ(parsed->outro, "");
  EXPECT_EQ(parsed->look.font_file, "/jobs/one/f.ttf");
  EXPECT_EQ(parsed->scenes[0].font_file, "/jobs/one/s/g.otf");
}

TEST(ComposeStyleTest, RoundTripIsLossless) {
  auto first = ParseComposeStyle(kEveryField, "/work/job");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ComposeStyle style = *first;
  style.look.transition_s = 0.1;  // no exact binary form
  style.sentence_gap_s = 1.0 / 3.0;
  style.fps = Rational::Make(2997, 100);
  const std::string json = ComposeStyleToJson(style);
  auto second = ParseComposeStyle(json, "/elsewhere");  // every path is absolute by now
  ASSERT_TRUE(second.ok()) << second.status().ToString() << "\n" << json;
  EXPECT_EQ(ComposeStyleToJson(*second), json);
  EXPECT_EQ(second->fps, Rational::Make(2997, 100));
  EXPECT_EQ(second->look.transition_s, 0.1);
  EXPECT_EQ(second->sentence_gap_s, 1.0 / 3.0);
  EXPECT_EQ(second->scenes.size(), 2u);
  EXPECT_EQ(second->scenes[1].background, "#112233");
  EXPECT_EQ(second->logo_corner, LogoCorner::kBottomLeft);
  EXPECT_EQ(second->look.motion, Motion::kPanLeft);
  EXPECT_EQ(second->music, "/work/job/music/bed.mp3");
  // Every field is written, so a file documents itself.
  for (const char* field : {"\"width\"", "\"fps\"", "\"scenes\"", "\"text_animation_s\"",
                            "\"logo_corner\"", "\"max_duration_s\"", "\"end_card_s\""}) {
    EXPECT_NE(json.find(field), std::string::npos) << field;
  }
}

TEST(ComposeStyleTest, LoadResolvesAgainstTheFileFolderAndNamesTheFile) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("styles"));
  WriteFile(dir.File("styles/style.json"), R"({"logo": "logo.png"})");
  auto style = LoadComposeStyle(dir.File("styles/style.json"));
  ASSERT_TRUE(style.ok()) << style.status().ToString();
  EXPECT_EQ(style->logo, dir.File("styles/logo.png"));

  WriteFile(dir.File("bad.json"), R"({"width": "x"})");
  auto bad = LoadComposeStyle(dir.File("bad.json"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), dir.File("bad.json") +
                                        ": width: expected an integer, got "
                                        "string \"x\"");
  auto missing = LoadComposeStyle(dir.File("none.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(dir.File("none.json")), std::string::npos);
}

TEST(ComposeStyleTest, ApplyAspect) {
  struct Case {
    const char* aspect;
    int width, height;
  };
  for (const Case& c : {Case{"9:16", 1080, 1920}, Case{"16:9", 1920, 1080}, Case{"1:1", 1080, 1080},
                        Case{"4:5", 1080, 1350}}) {
    ComposeStyle style;
    style.width = 2;
    ASSERT_TRUE(ApplyAspect(c.aspect, style).ok()) << c.aspect;
    EXPECT_EQ(style.width, c.width) << c.aspect;
    EXPECT_EQ(style.height, c.height) << c.aspect;
  }
  ComposeStyle style;
  Status bad = ApplyAspect("4:3", style);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("4:3"), std::string::npos);
  EXPECT_NE(bad.message().find("9:16, 16:9, 1:1, 4:5"), std::string::npos);
  EXPECT_EQ(style.width, 1080);
  EXPECT_EQ(style.height, 1920);
}

TEST(ComposeStyleTest, MotionNames) {
  EXPECT_EQ(MotionName(Motion::kNone), "none");
  EXPECT_EQ(MotionName(Motion::kZoomIn), "zoom_in");
  EXPECT_EQ(MotionName(Motion::kZoomOut), "zoom_out");
  EXPECT_EQ(MotionName(Motion::kPanLeft), "pan_left");
  EXPECT_EQ(MotionName(Motion::kPanRight), "pan_right");
  EXPECT_EQ(MotionName(Motion::kInvalid), "invalid");
}

class BrandFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("brand"));
    WriteFile(dir_.File("brand/logo.png"), "png");
    WriteFile(dir_.File("brand/font.ttf"), "ttf");
    WriteFile(dir_.File("brand/intro.mp4"), "mp4");
    style_.scenes.resize(2);
  }
  std::string Brand(const std::string& json) {
    WriteFile(dir_.File("brand/brand.json"), json);
    return dir_.File("brand/brand.json");
  }
  TempDir dir_;
  ComposeStyle style_;
};

TEST_F(BrandFileTest, AppliesColoursFontsAndFilesToEveryScene) {
  std::string path = Brand(R"({"font": "Brand Sans", "font_file": "font.ttf",
      "colors": {"primary": "#FF0000", "secondary": "#00FF00", "text": "#FFFFFF",
                 "background": "#000010"},
      "caption_style": "boxed_word", "logo": "logo.png", "intro": "intro.mp4"})");
  Status status = ApplyBrandFile(path, style_);
  ASSERT_TRUE(status.ok()) << status.ToString();
  for (const SceneLook* look : {&style_.look, &style_.scenes[0], &style_.scenes[1]}) {
    EXPECT_EQ(look->accent, "#FF0000");
    EXPECT_EQ(look->text, "#FFFFFF");
    EXPECT_EQ(look->background, "#000010");
    EXPECT_EQ(look->font_family, "Brand Sans");
    EXPECT_EQ(look->font_file, dir_.File("brand/font.ttf"));
  }
  EXPECT_EQ(style_.caption_style, "boxed_word");
  EXPECT_EQ(style_.logo, dir_.File("brand/logo.png"));
  EXPECT_EQ(style_.intro, dir_.File("brand/intro.mp4"));
  EXPECT_EQ(style_.outro, "");
}

TEST_F(BrandFileTest, WatermarkBecomesAFaintLogoWhenThereIsNoLogo) {
  ASSERT_TRUE(ApplyBrandFile(Brand(R"({"watermark": "logo.png"})"), style_).ok());
  EXPECT_EQ(style_.logo, dir_.File("brand/logo.png"));
  EXPECT_LT(style_.logo_opacity, 0.5);
  EXPECT_EQ(style_.logo_corner, LogoCorner::kBottomRight);
}

TEST_F(BrandFileTest, MissingFileIsNamedAndNothingChanges) {
  const std::string before = ComposeStyleToJson(style_);
  Status status =
      ApplyBrandFile(Brand(R"({"colors": {"primary": "#FF0000"}, "logo": "missing.png"})"), style_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find(dir_.File("brand/missing.png")), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("logo"), std::string::npos);
  EXPECT_EQ(ComposeStyleToJson(style_), before);
}

TEST_F(BrandFileTest, UnknownFieldsAndBadColoursAreErrors) {
  Status unknown = ApplyBrandFile(Brand(R"({"colours": {}})"), style_);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(StartsWith(unknown.message(),
                         dir_.File("brand/brand.json") + ": colours: unknown field (known: "))
      << unknown.message();
  Status nested = ApplyBrandFile(Brand(R"({"colors": {"tertiary": "#000000"}})"), style_);
  EXPECT_NE(nested.message().find("colors.tertiary: unknown field"), std::string::npos)
      << nested.message();
  Status colour = ApplyBrandFile(Brand(R"({"colors": {"primary": "red"}})"), style_);
  EXPECT_NE(colour.message().find("colors.primary: colour 'red' is not #RRGGBB"), std::string::npos)
      << colour.message();
  Status caption = ApplyBrandFile(Brand(R"({"caption_style": "fancy"})"), style_);
  EXPECT_NE(caption.message().find("caption_style: unknown caption style 'fancy'"),
            std::string::npos);
  Status missing = ApplyBrandFile(dir_.File("brand/none.json"), style_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find(dir_.File("brand/none.json")), std::string::npos);
}

TEST(LoadScriptTest, ErrorsArePrefixedWithThePath) {
  TempDir dir;
  WriteFile(dir.File("script.txt"), "[title]T[/title]\n[narration]Hello there.[/narration]\n");
  auto script = LoadScript(dir.File("script.txt"));
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  EXPECT_EQ(script->title, "T");
  ASSERT_EQ(script->sentences.size(), 1u);

  WriteFile(dir.File("bad.txt"), "[title]T[/title]\n[foo]x[/foo]\n");
  auto bad = LoadScript(dir.File("bad.txt"));
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(StartsWith(bad.status().message(), dir.File("bad.txt") + ": line 2, column 1: "))
      << bad.status().message();
  auto missing = LoadScript(dir.File("none.txt"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(dir.File("none.txt")), std::string::npos);
}

}  // namespace
}  // namespace cutroom::compose
