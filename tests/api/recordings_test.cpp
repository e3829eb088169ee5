// Recordings over HTTP: list (account and per call) with CallSid and
// DateCreated filters and paging, fetch with every field, delete (row, WAV
// and cached MP3), the media as WAV with and without credentials and as MP3
// (encoded on first request, decoded back here with libmpg123, cached next
// to the WAV, safe under concurrent requests), the POSTs callwire does not
// offer, and account scoping. Rows are written straight into the store and
// WAV files into the data dir, as the media engine does.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "core/sid.hpp"
#include "api/recording_media.hpp"
#include "http/form.hpp"
#include "media/mp3/mp3_decode.hpp"

namespace callwire::api::test {
namespace {

namespace fs = std::filesystem;

// A mono 8 kHz 16-bit PCM WAV of `samples` samples (a ramp, so bytes differ).
std::string make_wav(std::uint32_t samples) {
  auto le = [](std::string& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  std::string w = "RIFF";
  le(w, 36 + samples * 2, 4);
  w += "WAVEfmt ";
  le(w, 16, 4);
  le(w, 1, 2);     // PCM
  le(w, 1, 2);     // mono
  le(w, 8000, 4);  // rate
  le(w, 16000, 4);
  le(w, 2, 2);
  le(w, 16, 2);
  w += "data";
  le(w, samples * 2, 4);
  for (std::uint32_t i = 0; i < samples; ++i) le(w, (i * 37) & 0xffff, 2);
  return w;
}

// A mono 8 kHz 16-bit WAV of a 440 Hz sine at about -12 dBFS. `open_ended`
// leaves the data size at 0, as the recorder's header reads until the
// recording ends.
std::string sine_wav(std::uint32_t samples, bool open_ended = false) {
  std::string w = make_wav(0);
  if (!open_ended) {
    const std::uint32_t riff = 36 + samples * 2, data = samples * 2;
    for (int i = 0; i < 4; ++i) {
      w[4 + i] = static_cast<char>((riff >> (8 * i)) & 0xff);
      w[40 + i] = static_cast<char>((data >> (8 * i)) & 0xff);
    }
  }
  for (std::uint32_t i = 0; i < samples; ++i) {
    const auto v = static_cast<std::int16_t>(std::lround(8000 * std::sin(2 * std::numbers::pi * 440 * i / 8000)));
    w.push_back(static_cast<char>(static_cast<std::uint16_t>(v) & 0xff));
    w.push_back(static_cast<char>(static_cast<std::uint16_t>(v) >> 8));
  }
  return w;
}

// The body is an MP3 of `samples` samples of sine_wav's sine: MPEG-2.5
// layer III mono at 8 kHz, the same length within one frame (576 samples),
// about the same level.
void expect_mp3_of_sine(const std::string& body, std::uint32_t samples) {
  const auto d = callwire::test::decode_mp3(body.data(), body.size());
  ASSERT_EQ(d.error, "") << "body of " << body.size() << " bytes";
  EXPECT_EQ(d.rate, 8000);
  EXPECT_EQ(d.channels, 1);
  EXPECT_EQ(d.version, MPG123_2_5);
  EXPECT_EQ(d.layer, 3);
  EXPECT_LE(std::abs(static_cast<long>(d.samples.size()) - static_cast<long>(samples)), 576) << d.samples.size();
  const double level = callwire::test::rms(d.samples, samples / 10, samples * 9 / 10);
  EXPECT_GT(level, 8000 / std::numbers::sqrt2 * 0.8);
  EXPECT_LT(level, 8000 / std::numbers::sqrt2 * 1.25);
}

class Recordings : public ApiTest {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/callwire-api-rec-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    data_dir_ = tmpl;
    ApiTest::SetUp();
  }
  void TearDown() override {
    ApiTest::TearDown();
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
  }
  ApiConfig api_config() const override {
    ApiConfig c;
    c.data_dir = data_dir_;
    return c;
  }

  // A recording row; with `wav` also its file at the default location.
  store::Recording add(const std::string& account, const std::string& call_sid, const std::string& status,
                       const std::string& wav = {}) {
    store::Recording k;
    k.account_sid = account;
    k.call_sid = call_sid;
    k.status = status;
    if (status == "completed") {
      k.duration = 3;
      k.start_time = std::chrono::sys_days(std::chrono::year(2024) / 3 / 1) + std::chrono::hours(10);
    }
    auto r = store().recordings().save(k);
    EXPECT_TRUE(r.has_value()) << r.error().what();
    if (!r) return {};
    if (!wav.empty()) {
      const fs::path file = fs::path(data_dir_) / store::recording_media_path(account, r->sid);
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary) << wav;
    }
    return *r;
  }
  fs::path file_of(const store::Recording& k) const {
    return fs::path(data_dir_) / store::recording_media_path(k.account_sid, k.sid);
  }
  fs::path mp3_of(const store::Recording& k) const { return fs::path(file_of(k)).replace_extension(".mp3"); }
  // The file names in the recording's folder.
  std::set<std::string> files_beside(const store::Recording& k) const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(file_of(k).parent_path())) names.insert(e.path().filename().string());
    return names;
  }
  std::vector<std::string> listed(const std::string& path_and_query) {
    auto r = get(path_and_query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.json.is_object())
      for (const auto& k : r.json["recordings"]) out.push_back(k["sid"]);
    return out;
  }
  Resp anonymous_get(const std::string& target) { return request(http::Method::Get, target, {}, std::nullopt); }

  std::string data_dir_;
};

TEST_P(Recordings, FetchShowsEveryTwilioField) {
  const std::string call = make_sid("CA");
  const auto k = add(main_auth().sid, call, "completed", make_wav(24000));
  const std::string path = acct() + "/Recordings/" + k.sid;
  auto r = get(path + ".json");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& j = r.json;
  EXPECT_EQ(j["sid"], k.sid);
  EXPECT_EQ(j["account_sid"], main_auth().sid);
  EXPECT_EQ(j["api_version"], "2010-04-01");
  EXPECT_EQ(j["call_sid"], call);
  EXPECT_TRUE(j["conference_sid"].is_null());
  EXPECT_EQ(j["start_time"], "Fri, 01 Mar 2024 10:00:00 +0000");
  EXPECT_EQ(j["duration"], "3");  // a string, as Twilio sends it
  EXPECT_TRUE(j["price"].is_null());
  EXPECT_EQ(j["price_unit"], "USD");
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["channels"], 1);
  EXPECT_EQ(j["source"], "RecordVerb");
  EXPECT_TRUE(j["error_code"].is_null());
  EXPECT_EQ(j["track"], "both");
  EXPECT_TRUE(j["encryption_details"].is_null());
  EXPECT_EQ(j["uri"], path + ".json");
  EXPECT_EQ(j["media_url"], "http://127.0.0.1:" + std::to_string(port()) + path);
  EXPECT_EQ(j["subresource_uris"]["transcriptions"], path + "/Transcriptions.json");
  EXPECT_EQ(j["subresource_uris"]["add_on_results"], path + "/AddOnResults.json");
  EXPECT_TRUE(j["date_created"].is_string());
  EXPECT_TRUE(j["date_updated"].is_string());
  EXPECT_FALSE(j.contains("media_path"));
  EXPECT_EQ(r.body.find(data_dir_), std::string::npos) << "the file path leaked: " << r.body;
  EXPECT_EQ(j.size(), 20u);

  // In progress: no duration yet.
  const auto live = add(main_auth().sid, call, "in-progress");
  auto lr = get(acct() + "/Recordings/" + live.sid + ".json");
  ASSERT_EQ(lr.status, 200) << lr.body;
  EXPECT_TRUE(lr.json["duration"].is_null());
  EXPECT_EQ(lr.json["status"], "in-progress");

  // Under the call, and only under its own call.
  EXPECT_EQ(get(acct() + "/Calls/" + call + "/Recordings/" + k.sid + ".json").json["sid"], k.sid);
  EXPECT_API_ERROR(get(acct() + "/Calls/" + make_sid("CA") + "/Recordings/" + k.sid + ".json"), 404, 20404,
                   k.sid);
}

TEST_P(Recordings, ListsNewestFirstWithFiltersAndPaging) {
  const std::string call_a = make_sid("CA");
  const std::string call_b = make_sid("CA");
  std::vector<std::string> all;
  for (int i = 0; i < 5; ++i) all.push_back(add(main_auth().sid, i < 3 ? call_a : call_b, "completed").sid);
  const std::vector<std::string> newest(all.rbegin(), all.rend());

  auto r = get(acct() + "/Recordings.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["page"], 0);
  EXPECT_EQ(r.json["page_size"], 50);
  EXPECT_TRUE(r.json["next_page_uri"].is_null());
  EXPECT_EQ(r.json["uri"], acct() + "/Recordings.json?PageSize=50&Page=0");
  EXPECT_EQ(listed(acct() + "/Recordings.json"), newest);

  // Pages of two, following next_page_uri verbatim; CallSid kept in it.
  std::vector<std::string> paged;
  std::string next = acct() + "/Recordings.json?CallSid=" + call_a + "&PageSize=2";
  int pages = 0;
  while (!next.empty() && pages < 10) {
    auto p = get(next);
    ASSERT_EQ(p.status, 200) << p.body;
    for (const auto& k : p.json["recordings"]) paged.push_back(k["sid"]);
    next = p.json["next_page_uri"].is_string() ? p.json["next_page_uri"].get<std::string>() : "";
    if (!next.empty()) {
      EXPECT_NE(next.find("CallSid=" + call_a), std::string::npos) << next;
    }
    ++pages;
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(paged, (std::vector<std::string>{all[2], all[1], all[0]}));

  EXPECT_EQ(listed(acct() + "/Calls/" + call_b + "/Recordings.json"), (std::vector<std::string>{all[4], all[3]}));
  EXPECT_TRUE(listed(acct() + "/Calls/" + make_sid("CA") + "/Recordings.json").empty());

  // DateCreated: rows are created now.
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  auto day = [](std::chrono::sys_days d) {
    const std::chrono::year_month_day ymd{d};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
  };
  const std::string today = day(now);
  const std::string tomorrow = day(now + std::chrono::days(1));
  const std::string yesterday = day(now - std::chrono::days(1));
  EXPECT_EQ(listed(acct() + "/Recordings.json?DateCreated=" + today), newest);
  EXPECT_TRUE(listed(acct() + "/Recordings.json?DateCreated=" + yesterday).empty());
  EXPECT_EQ(listed(acct() + "/Recordings.json?" + http::form_encode({{"DateCreated>", yesterday}})), newest);
  EXPECT_TRUE(listed(acct() + "/Recordings.json?" + http::form_encode({{"DateCreated>", tomorrow}})).empty());
  EXPECT_TRUE(listed(acct() + "/Recordings.json?" + http::form_encode({{"DateCreated<", yesterday}})).empty());
  EXPECT_EQ(listed(acct() + "/Calls/" + call_b + "/Recordings.json?" +
                   http::form_encode({{"DateCreated<", today}})),
            (std::vector<std::string>{all[4], all[3]}));

  EXPECT_API_ERROR(get(acct() + "/Recordings.json?DateCreated=yesterday"), 400, 20001, "DateCreated");
  EXPECT_API_ERROR(get(acct() + "/Recordings.json?CallSid=CA123"), 400, 20001, "CallSid");
  EXPECT_API_ERROR(get(acct() + "/Recordings.json?PageSize=0"), 400, 20001, "PageSize");
}

TEST_P(Recordings, MediaIsTheWavWithoutCredentialsByDefault) {
  const std::string wav = make_wav(8000);
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", wav);
  const std::string path = acct() + "/Recordings/" + k.sid;
  for (const std::string& target : {path, path + ".wav"}) {
    auto r = anonymous_get(target);
    ASSERT_EQ(r.status, 200) << target << ": " << r.body.substr(0, 200);
    EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "audio/x-wav");
    EXPECT_EQ(r.body, wav);
    EXPECT_EQ(get(target).body, wav);  // credentials are accepted too
  }
  auto mp3 = anonymous_get(path + ".mp3");
  ASSERT_EQ(mp3.status, 200) << mp3.body.substr(0, 200);
  EXPECT_EQ(mp3.headers.get("Content-Type").value_or(""), "audio/mpeg");
  EXPECT_EQ(callwire::test::decode_mp3(mp3.body.data(), mp3.body.size()).error, "");
  // Unknown sids, another account in the path, a row without its file: 404.
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + make_sid("RE") + ".wav"), 404, 20404, "Recordings");
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + make_sid("RE") + ".mp3"), 404, 20404, "Recordings");
  EXPECT_API_ERROR(anonymous_get(acct("AC" + std::string(32, 'e')) + "/Recordings/" + k.sid), 404, 20404, k.sid);
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/REnot-a-sid.wav"), 404, 20404, "REnot-a-sid");
  const auto fileless = add(main_auth().sid, make_sid("CA"), "in-progress");
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + fileless.sid + ".wav"), 404, 20404, fileless.sid);
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + fileless.sid + ".mp3"), 404, 20404, fileless.sid);
  EXPECT_API_ERROR(anonymous_get(acct("AC" + std::string(32, 'e')) + "/Recordings/" + k.sid + ".mp3"), 404, 20404,
                   k.sid);
  // The JSON still needs credentials.
  EXPECT_API_ERROR(anonymous_get(path + ".json"), 401, 20003, "Authenticate");
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings.json"), 401, 20003, "Authenticate");
  EXPECT_API_ERROR(request(http::Method::Delete, path + ".wav", {}, main_auth()), 405, 20004, "not allowed");
}

TEST_P(Recordings, DeleteRemovesRowAndFileButNotWhileRecording) {
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", make_wav(800));
  ASSERT_TRUE(fs::exists(file_of(k)));
  const std::string path = acct() + "/Recordings/" + k.sid;
  ASSERT_EQ(anonymous_get(path + ".mp3").status, 200);
  ASSERT_TRUE(fs::exists(mp3_of(k)));
  auto d = del(path + ".json");
  EXPECT_EQ(d.status, 204) << d.body;
  EXPECT_TRUE(d.body.empty());
  EXPECT_FALSE(fs::exists(file_of(k)));
  EXPECT_FALSE(fs::exists(mp3_of(k))) << "the cached MP3 goes with the recording";
  EXPECT_API_ERROR(anonymous_get(path + ".mp3"), 404, 20404, k.sid);
  EXPECT_API_ERROR(get(path + ".json"), 404, 20404, k.sid);
  EXPECT_API_ERROR(anonymous_get(path + ".wav"), 404, 20404, k.sid);
  EXPECT_API_ERROR(del(path + ".json"), 404, 20404, k.sid);

  // A row whose file never existed deletes cleanly; a live one is refused.
  const auto absent = add(main_auth().sid, make_sid("CA"), "absent");
  EXPECT_EQ(del(acct() + "/Recordings/" + absent.sid + ".json").status, 204);
  const auto live = add(main_auth().sid, make_sid("CA"), "in-progress", make_wav(80));
  EXPECT_API_ERROR(del(acct() + "/Recordings/" + live.sid + ".json"), 400, 20001, "in-progress");
  EXPECT_TRUE(fs::exists(file_of(live)));
  EXPECT_EQ(get(acct() + "/Recordings/" + live.sid + ".json").status, 200);

  // Through the call's path as well.
  const auto other = add(main_auth().sid, make_sid("CA"), "completed", make_wav(80));
  EXPECT_EQ(del(acct() + "/Calls/" + other.call_sid + "/Recordings/" + other.sid + ".json").status, 204);
  EXPECT_FALSE(fs::exists(file_of(other)));
}

TEST_P(Recordings, Mp3IsEncodedOnFirstRequestAndCachedBesideTheWav) {
  constexpr std::uint32_t kSamples = 3 * 8000;
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", sine_wav(kSamples));
  const std::string path = acct() + "/Recordings/" + k.sid + ".mp3";
  EXPECT_FALSE(fs::exists(mp3_of(k)));
  auto first = anonymous_get(path);
  ASSERT_EQ(first.status, 200) << first.body.substr(0, 200);
  EXPECT_EQ(first.headers.get("Content-Type").value_or(""), "audio/mpeg");
  expect_mp3_of_sine(first.body, kSamples);
  // 3 s at 32 kbit/s, plus a few frames of 288 bytes (Info frame, delay).
  EXPECT_GT(first.body.size(), 12000u);
  EXPECT_LT(first.body.size(), 12000u + 5 * 288);
  // Cached next to the WAV, nothing else left there (no temporary file).
  EXPECT_EQ(read_recording_file(mp3_of(k)), first.body);
  EXPECT_EQ(files_beside(k), (std::set<std::string>{k.sid + ".wav", k.sid + ".mp3"}));
  EXPECT_EQ(get(path).body, first.body);  // with credentials too

  // The next request reads the cache instead of encoding: what the cache
  // holds is what is served.
  const std::string marker = "cached bytes, not an encoding of the WAV";
  std::ofstream(mp3_of(k), std::ios::binary | std::ios::trunc) << marker;
  EXPECT_EQ(anonymous_get(path).body, marker);
  // A WAV newer than its MP3 is encoded again, and the cache replaced.
  fs::last_write_time(file_of(k), fs::last_write_time(mp3_of(k)) + std::chrono::seconds(5));
  auto again = anonymous_get(path);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(read_recording_file(mp3_of(k)), first.body);

  // The WAV is untouched by all this, and still the default media.
  auto wav = anonymous_get(acct() + "/Recordings/" + k.sid);
  EXPECT_EQ(wav.body, sine_wav(kSamples));
  EXPECT_EQ(wav.headers.get("Content-Type").value_or(""), "audio/x-wav");
}

TEST_P(Recordings, ConcurrentFirstMp3RequestsAllGetTheWholeFile) {
  constexpr std::uint32_t kSamples = 20 * 8000;
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", sine_wav(kSamples));
  const std::string path = acct() + "/Recordings/" + k.sid + ".mp3";
  std::vector<Resp> replies(6);
  {
    std::vector<std::jthread> clients;
    for (auto& r : replies) clients.emplace_back([this, &r, &path] { r = anonymous_get(path); });
  }
  for (const auto& r : replies) {
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
    EXPECT_EQ(r.body, replies[0].body);
  }
  expect_mp3_of_sine(replies[0].body, kSamples);
  EXPECT_EQ(read_recording_file(mp3_of(k)), replies[0].body);
  EXPECT_EQ(files_beside(k), (std::set<std::string>{k.sid + ".wav", k.sid + ".mp3"}));
}

TEST_P(Recordings, Mp3OfARecordingInProgressIsServedButNotCached) {
  constexpr std::uint32_t kSamples = 8000;
  // The recorder's header says 0 bytes of data until the recording ends.
  const auto k = add(main_auth().sid, make_sid("CA"), "in-progress", sine_wav(kSamples, true));
  auto r = anonymous_get(acct() + "/Recordings/" + k.sid + ".mp3");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
  expect_mp3_of_sine(r.body, kSamples);
  EXPECT_FALSE(fs::exists(mp3_of(k))) << "a recording still being written must not be cached";
}

TEST_P(Recordings, Mp3OfAFileThatIsNotPcmWavIs500) {
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", "not a WAV file at all");
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + k.sid + ".mp3"), 500, 20500, "MP3");
  EXPECT_FALSE(fs::exists(mp3_of(k)));
  EXPECT_EQ(anonymous_get(acct() + "/Recordings/" + k.sid + ".wav").status, 200);  // served as it is
}

TEST_P(Recordings, UnsupportedPostsAre405WithAllow) {
  const auto k = add(main_auth().sid, make_sid("CA"), "completed");
  auto r = post(acct() + "/Recordings/" + k.sid + ".json", {{"Status", "paused"}});
  EXPECT_API_ERROR(r, 405, 20004, "does not pause");
  EXPECT_EQ(r.headers.get("Allow").value_or(""), "GET, DELETE");
  auto c = post(acct() + "/Calls/" + k.call_sid + "/Recordings.json", {});
  EXPECT_API_ERROR(c, 405, 20004, "does not start recordings");
  EXPECT_EQ(c.headers.get("Allow").value_or(""), "GET");
  EXPECT_API_ERROR(post(acct() + "/Calls/" + k.call_sid + "/Recordings/" + k.sid + ".json", {{"Status", "stopped"}}),
                   405, 20004, "does not pause");
  EXPECT_EQ(get(acct() + "/Recordings/" + k.sid + ".json").json["status"], "completed");  // unchanged
  EXPECT_API_ERROR(post(acct() + "/Recordings.json", {}), 405, 20004, "");
}

TEST_P(Recordings, ScopedToTheAccount) {
  const Auth sub = create_subaccount();
  const auto mine = add(main_auth().sid, make_sid("CA"), "completed", make_wav(80));
  const auto theirs = add(sub.sid, make_sid("CA"), "completed", make_wav(80));

  // A sub-account cannot see the main account's recordings, by any path.
  EXPECT_API_ERROR(get(acct() + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(get(acct() + "/Recordings.json", sub), 404, 20404, "Recordings.json");
  EXPECT_API_ERROR(del(acct() + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(get(acct(sub.sid) + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(del(acct(sub.sid) + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(anonymous_get(acct(sub.sid) + "/Recordings/" + mine.sid + ".wav"), 404, 20404, mine.sid);
  EXPECT_TRUE(fs::exists(file_of(mine)));

  // Each sees its own; the main account reads its sub-account's too.
  EXPECT_EQ(listed(acct() + "/Recordings.json"), std::vector<std::string>{mine.sid});
  auto sub_list = get(acct(sub.sid) + "/Recordings.json", sub);
  ASSERT_EQ(sub_list.status, 200) << sub_list.body;
  ASSERT_EQ(sub_list.json["recordings"].size(), 1u);
  EXPECT_EQ(sub_list.json["recordings"][0]["sid"], theirs.sid);
  EXPECT_EQ(get(acct(sub.sid) + "/Recordings/" + theirs.sid + ".json").status, 200);
  EXPECT_EQ(del(acct(sub.sid) + "/Recordings/" + theirs.sid + ".json").status, 204);
  EXPECT_FALSE(fs::exists(file_of(theirs)));
}

CALLWIRE_API_BACKENDS(Recordings);

// "Enforce HTTP Auth on Media URLs" switched on.
class RecordingMediaAuth : public Recordings {
 protected:
  ApiConfig api_config() const override {
    ApiConfig c = Recordings::api_config();
    c.recording_media_require_auth = true;
    return c;
  }
};

TEST_P(RecordingMediaAuth, MediaNeedsTheAccountsCredentials) {
  const std::string wav = make_wav(160);
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", wav);
  const std::string path = acct() + "/Recordings/" + k.sid;
  for (const std::string& target : {path, path + ".wav", path + ".mp3"})
    EXPECT_API_ERROR(anonymous_get(target), 401, 20003, "Authenticate");
  EXPECT_FALSE(fs::exists(mp3_of(k))) << "an unauthenticated request encoded the recording";
  EXPECT_EQ(get(path).body, wav);
  EXPECT_EQ(get(path + ".wav").body, wav);
  auto mp3 = get(path + ".mp3");
  EXPECT_EQ(mp3.status, 200);
  EXPECT_EQ(mp3.headers.get("Content-Type").value_or(""), "audio/mpeg");
  EXPECT_EQ(callwire::test::decode_mp3(mp3.body.data(), mp3.body.size()).error, "");
  const Auth sub = create_subaccount();
  EXPECT_API_ERROR(get(path + ".wav", sub), 404, 20404, "Recordings");
  EXPECT_API_ERROR(get(path + ".mp3", sub), 404, 20404, "Recordings");
}

CALLWIRE_API_BACKENDS(RecordingMediaAuth);

}  // namespace
}  // namespace callwire::api::test
