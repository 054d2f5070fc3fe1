#include <gtest/gtest.h>

#include <random>

#include "ppp/fcs.hpp"
#include "ppp/hdlc.hpp"

namespace openras::ppp {
namespace {

const std::uint8_t kCheck[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};

TEST(Fcs, CheckValuesOfTheStandardCrcs) {
  // CRC-16/X-25 and CRC-32 of "123456789": the FCS is the complement of the register.
  EXPECT_EQ(static_cast<std::uint16_t>(~fcs16_update(kFcs16Init, kCheck, 9)), 0x906E);
  EXPECT_EQ(~fcs32_update(kFcs32Init, kCheck, 9), 0xCBF43926u);
}

TEST(Fcs, ResidueOverDataAndFcsIsTheGoodValue) {
  std::uint16_t f16 = static_cast<std::uint16_t>(~fcs16_update(kFcs16Init, kCheck, 9));
  std::uint8_t with16[11];
  std::copy(kCheck, kCheck + 9, with16);
  with16[9] = static_cast<std::uint8_t>(f16);
  with16[10] = static_cast<std::uint8_t>(f16 >> 8);
  EXPECT_EQ(fcs16_update(kFcs16Init, with16, 11), kFcs16Good);
  std::uint32_t f32 = ~fcs32_update(kFcs32Init, kCheck, 9);
  std::uint8_t with32[13];
  std::copy(kCheck, kCheck + 9, with32);
  for (int i = 0; i < 4; ++i) with32[9 + i] = static_cast<std::uint8_t>(f32 >> (8 * i));
  EXPECT_EQ(fcs32_update(kFcs32Init, with32, 13), kFcs32Good);
}

TEST(Fcs, SlicedTablesMatchTheBitwiseReference) {
  std::mt19937 rng(7);
  for (std::size_t len : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 63u, 1500u}) {
    Bytes data(len);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    EXPECT_EQ(fcs16_update(kFcs16Init, data.data(), len),
              fcs16_reference(kFcs16Init, data.data(), len));
    EXPECT_EQ(fcs32_update(kFcs32Init, data.data(), len),
              fcs32_reference(kFcs32Init, data.data(), len));
  }
}

TEST(Fcs, EveryFoldingPathMatchesTheBitwiseReference) {
  // Every length around the fold's steps (16, 64, 256 octets), from a non-initial register
  // too, on each path this CPU can run; a path it cannot run is skipped, not faked.
  std::mt19937 rng(11);
  Bytes data(2100);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  const auto best = detail::best_fold_path();
  int paths_run = 0;
  for (auto path : {detail::FoldPath::None, detail::FoldPath::Sse, detail::FoldPath::Avx512}) {
    if (path > best) continue;
    ++paths_run;
    for (std::size_t len = 0; len <= data.size(); len += (len < 600 ? 1 : 37)) {
      for (std::uint32_t start : {0xFFFFFFFFu, 0x12345678u, 0u}) {
        auto s16 = static_cast<std::uint16_t>(start);
        ASSERT_EQ(fcs16_update_on(path, s16, data.data(), len),
                  fcs16_reference(s16, data.data(), len))
            << "path " << static_cast<int>(path) << " length " << len;
        ASSERT_EQ(fcs32_update_on(path, start, data.data(), len),
                  fcs32_reference(start, data.data(), len))
            << "path " << static_cast<int>(path) << " length " << len;
      }
    }
  }
  EXPECT_GE(paths_run, 1);
}

Bytes every_octet() {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  return all;
}

TEST(Hdlc, EscapesExactlyTheMappedControlOctetsFlagAndEscape) {
  Bytes all = every_octet();
  for (int bit = 0; bit < 32; ++bit) {
    HdlcEncoder enc;
    enc.set_accm(1u << bit);
    LineBytes out;
    enc.encode(all, out);
    // Inside the flags, count escapes of each octet value.
    std::vector<int> escaped(256, 0);
    for (std::size_t i = 1; i + 1 < out.size(); ++i) {
      if (out[i] == 0x7D) escaped[out[++i] ^ 0x20]++;
    }
    for (int v = 0; v < 32; ++v) EXPECT_EQ(escaped[v] > 0, v == bit) << "bit " << bit << " v " << v;
    EXPECT_GT(escaped[0x7E], 0);
    EXPECT_GT(escaped[0x7D], 0);
    for (std::size_t i = 1; i + 1 < out.size(); ++i) EXPECT_NE(out[i], 0x7E);
  }
}

TEST(Hdlc, AllOnesAccmEscapesEveryControlOctetAndZeroNone) {
  Bytes all = every_octet();
  HdlcEncoder enc;  // starts at 0xffffffff, as LCP requires before it opens
  LineBytes out;
  enc.encode(all, out);
  for (std::size_t i = 1; i + 1 < out.size(); ++i) {
    if (out[i] != 0x7D)
      EXPECT_GE(out[i], 0x20) << i;
    else
      ++i;
  }
  enc.set_accm(0);
  LineBytes plain;
  enc.encode(all, plain);
  EXPECT_LT(plain.size(), out.size());
}

TEST(Hdlc, RoundTripsThroughEveryAccmAndBothFcsSizes) {
  std::mt19937 rng(11);
  for (FcsSize fcs : {FcsSize::Fcs16, FcsSize::Fcs32}) {
    for (std::uint32_t accm : {0u, 0xffffffffu, 0x000a0000u}) {
      HdlcEncoder enc;
      enc.set_accm(accm);
      enc.set_fcs(fcs);
      HdlcDecoder dec;
      dec.set_fcs(fcs);
      std::deque<Bytes> frames;
      std::vector<Bytes> sent;
      LineBytes line;
      for (int n = 0; n < 20; ++n) {
        Bytes frame(1 + rng() % 1500);
        for (auto& b : frame) b = static_cast<std::uint8_t>(rng());
        enc.encode(frame, line);
        sent.push_back(frame);
      }
      // Feed in odd-sized pieces so frames and escapes straddle the chunks.
      for (std::size_t i = 0; i < line.size(); i += 37) {
        dec.feed(ByteView(line).subspan(i, std::min<std::size_t>(37, line.size() - i)), frames);
      }
      ASSERT_EQ(frames.size(), sent.size());
      for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(frames[i], sent[i]);
      EXPECT_EQ(dec.stats().fcs_errors, 0u);
    }
  }
}

TEST(Hdlc, BadFramesAreCountedAndDropped) {
  HdlcEncoder enc;
  LineBytes line;
  enc.encode(Bytes{0xFF, 0x03, 0xC0, 0x21, 1, 2, 3}, line);
  LineBytes corrupt = line;
  corrupt[5] ^= 0x01;
  HdlcDecoder dec(64);
  std::deque<Bytes> frames;
  dec.feed(corrupt, frames);                              // FCS error
  dec.feed(Bytes{0x7E, 0x11, 0x7E}, frames);              // runt
  dec.feed(Bytes{0x7E, 0x11, 0x22, 0x7D, 0x7E}, frames);  // aborted by escape + flag
  Bytes big(200, 0x41);
  big.insert(big.begin(), 0x7E);
  big.push_back(0x7E);
  dec.feed(big, frames);   // past the maximum frame
  dec.feed(line, frames);  // and a good one still gets through
  EXPECT_EQ(frames.size(), 1u);
  EXPECT_EQ(dec.stats().fcs_errors, 1u);
  EXPECT_EQ(dec.stats().runts, 1u);
  EXPECT_EQ(dec.stats().aborts, 1u);
  EXPECT_EQ(dec.stats().overruns, 1u);
}

TEST(Hdlc, ControlOctetsInTheReceiveMapAreDiscarded) {
  HdlcEncoder enc;
  enc.set_accm(0xffffffff);
  LineBytes line;
  enc.encode(Bytes{0xFF, 0x03, 0x00, 0x21, 0x45}, line);
  // The line inserts XON/XOFF (0x11, 0x13) in the middle: with them in the map they vanish.
  line.insert(line.begin() + 3, 0x11);
  line.insert(line.begin() + 6, 0x13);
  HdlcDecoder dec;
  dec.set_accm(0xffffffff);
  std::deque<Bytes> frames;
  dec.feed(line, frames);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], (Bytes{0xFF, 0x03, 0x00, 0x21, 0x45}));
  EXPECT_EQ(dec.stats().discarded_octets, 2u);
}

// Octets drawn mostly from the ones framing treats specially, so that escapes come in runs,
// escape a flag or an escape, fall on vector boundaries and end blocks.
Bytes awkward_octets(std::mt19937& rng, std::size_t n) {
  static const std::uint8_t kSpecial[] = {0x7E, 0x7D, 0x00, 0x11, 0x13, 0x1F, 0x20, 0x5D, 0x5E};
  Bytes out(n);
  for (auto& b : out) {
    b = rng() % 3 ? static_cast<std::uint8_t>(rng()) : kSpecial[rng() % std::size(kSpecial)];
  }
  return out;
}

// Every set of wide loops this CPU runs (none where it has none: those tests then skip).
std::vector<detail::WideLoops> wide_loop_sets() {
  std::vector<detail::WideLoops> sets;
  for (auto loops : {detail::WideLoops::Avx2, detail::WideLoops::Avx512}) {
    if (loops <= detail::best_wide_loops()) sets.push_back(loops);
  }
  return sets;
}

const char* name_of(detail::WideLoops loops) {
  return loops == detail::WideLoops::Avx512 ? "AVX-512" : "AVX2";
}

void expect_same_stats(const HdlcStats& a, const HdlcStats& b) {
  EXPECT_EQ(a.frames, b.frames);
  EXPECT_EQ(a.fcs_errors, b.fcs_errors);
  EXPECT_EQ(a.runts, b.runts);
  EXPECT_EQ(a.overruns, b.overruns);
  EXPECT_EQ(a.aborts, b.aborts);
  EXPECT_EQ(a.discarded_octets, b.discarded_octets);
}

TEST(Hdlc, WideLoopsEncodeExactlyAsThePortableOnes) {
  if (!detail::wide_framing_available()) GTEST_SKIP() << "this CPU has no AVX2 VPCLMULQDQ";
  std::mt19937 rng(21);
  for (auto loops : wide_loop_sets()) {
    SCOPED_TRACE(name_of(loops));
    for (FcsSize fcs : {FcsSize::Fcs16, FcsSize::Fcs32}) {
      for (std::uint32_t accm : {0u, 0xffffffffu, 0x000a0000u, 0x80000001u}) {
        HdlcEncoder wide, portable;
        wide.use_loops(loops);
        portable.use_wide_loops(false);
        for (HdlcEncoder* e : {&wide, &portable}) {
          e->set_accm(accm);
          e->set_fcs(fcs);
        }
        for (std::size_t len = 0; len < 3000; len += 1 + rng() % 23) {
          Bytes frame = rng() % 2 ? awkward_octets(rng, len) : Bytes(len, 0x7E);
          if (rng() % 2) {
            for (auto& b : frame) b = static_cast<std::uint8_t>(rng());
          }
          LineBytes a{0x01}, b{0x01};  // appends after what is there
          wide.encode(frame, a);
          portable.encode(frame, b);
          ASSERT_EQ(a, b) << "length " << len << " accm " << accm;
        }
      }
    }
  }
}

// A line buffer grows without zero-filling, so whatever its spare room held before must not
// show through: the encoder writes every octet it keeps. Stale flags and escapes in the room,
// frames of every length up to a few blocks, each set of loops.
TEST(Hdlc, StaleOctetsInTheLineBuffersRoomNeverShowThrough) {
  std::mt19937 rng(24);
  auto sets = wide_loop_sets();
  sets.push_back(detail::WideLoops::None);
  for (auto loops : sets) {
    HdlcEncoder reused, fresh;
    reused.use_loops(loops);
    fresh.use_loops(loops);
    LineBytes line;
    for (std::size_t len = 0; len < 300; ++len) {
      Bytes frame = awkward_octets(rng, len);
      line.assign(4096, static_cast<std::uint8_t>(len % 2 ? 0x7E : 0x7D));
      line.resize(len % 3);  // some octets already there, the rest stale room
      reused.encode(frame, line);
      LineBytes expected(len % 3, static_cast<std::uint8_t>(len % 2 ? 0x7E : 0x7D));
      fresh.encode(frame, expected);
      ASSERT_EQ(line, expected) << "length " << len;
    }
  }
}

// The wide encoder writes blocks with one or two octets to escape by overlapping stores, and
// the decoder folds the FCS a few blocks behind what it writes: every placement of one, two
// and three such octets in a block, in frames of several lengths, both ways.
TEST(Hdlc, WideLoopsHandleEveryPlacementOfFewEscapes) {
  if (!detail::wide_framing_available()) GTEST_SKIP() << "this CPU has no AVX2 VPCLMULQDQ";
  std::mt19937 rng(23);
  for (auto loops : wide_loop_sets()) {
    SCOPED_TRACE(name_of(loops));
    HdlcEncoder wide, portable;
    wide.use_loops(loops);
    portable.use_wide_loops(false);
    HdlcDecoder decoder(4096);
    decoder.use_loops(loops);
    for (std::uint32_t accm : {0u, 0x000a0000u}) {
      wide.set_accm(accm);
      portable.set_accm(accm);
      for (std::size_t len : {130u, 200u, 1500u}) {
        Bytes plain(len);
        for (auto& b : plain) b = static_cast<std::uint8_t>(0x21 + rng() % 0x50);
        for (std::size_t first = 0; first < 64; ++first) {
          for (std::size_t second = first; second < 64; ++second) {
            Bytes frame = plain;
            const std::size_t block = 64 * (rng() % (len / 64));
            frame[block + first] = rng() % 2 ? 0x7E : 0x7D;
            frame[block + second] = rng() % 2 ? 0x7D : 0x7E;
            if (rng() % 4 == 0) frame[block + rng() % 64] = 0x7E;
            if (accm != 0 && rng() % 2) frame[block + second] = 0x11;
            LineBytes a, b;
            wide.encode(frame, a);
            portable.encode(frame, b);
            ASSERT_EQ(a, b) << "length " << len << " at " << block << "+" << first << "," << second;
            std::vector<Bytes> got;
            decoder.feed(a, [&](ByteView f) { got.emplace_back(f.begin(), f.end()); });
            ASSERT_EQ(got.size(), 1u);
            ASSERT_EQ(got[0], frame);
          }
        }
      }
    }
    EXPECT_EQ(decoder.stats().fcs_errors, 0u);
  }
}

// An escape right before a flag aborts the frame, wherever the two fall: inside a block, across
// blocks, across the runs of two feeds. The wide decoder finds flags in its own loop.
TEST(Hdlc, EscapeBeforeFlagAbortsAtEveryPosition) {
  auto sets = wide_loop_sets();
  sets.push_back(detail::WideLoops::None);
  for (auto loops : sets) {
    for (std::size_t at = 60; at < 200; ++at) {
      LineBytes line{0x7E};
      for (std::size_t k = 0; k < at; ++k) line.push_back(static_cast<std::uint8_t>(0x30 + k % 40));
      line.push_back(0x7D);
      line.push_back(0x7E);
      HdlcEncoder enc;
      enc.encode(Bytes(100, 0x42), line);  // a good frame after it still comes through
      for (std::size_t cut : {std::size_t{0}, at + 1, at + 2}) {
        HdlcDecoder d(4096);
        d.use_loops(loops);
        std::vector<Bytes> frames;
        auto take = [&](ByteView f) { frames.emplace_back(f.begin(), f.end()); };
        if (cut == 0) {
          d.feed(line, take);
        } else {
          d.feed(ByteView(line).first(cut), take);
          d.feed(ByteView(line).subspan(cut), take);
        }
        EXPECT_EQ(d.stats().aborts, 1u) << "escape at " << at << ", cut at " << cut;
        EXPECT_EQ(d.stats().fcs_errors, 0u);
        ASSERT_EQ(frames.size(), 1u);
        EXPECT_EQ(frames[0], Bytes(100, 0x42));
      }
    }
  }
}

TEST(Hdlc, WideLoopsDecodeExactlyAsThePortableOnes) {
  if (!detail::wide_framing_available()) GTEST_SKIP() << "this CPU has no AVX2 VPCLMULQDQ";
  std::mt19937 rng(22);
  for (auto loops : wide_loop_sets()) {
    SCOPED_TRACE(name_of(loops));
    for (FcsSize fcs : {FcsSize::Fcs16, FcsSize::Fcs32}) {
      for (std::uint32_t rx_accm : {0u, 0xffffffffu}) {
        // Good frames, hostile runs (escaped escapes, escape before flag, overlong runs) and
        // chunk boundaries anywhere.
        HdlcEncoder enc;
        enc.set_fcs(fcs);
        LineBytes line;
        for (int n = 0; n < 60; ++n) {
          std::size_t len = rng() % 4 == 0 ? 1000 + rng() % 600 : rng() % 300;
          if (rng() % 3) {
            enc.encode(awkward_octets(rng, len), line);
          } else {
            Bytes junk = awkward_octets(rng, len);
            line.insert(line.end(), junk.begin(), junk.end());
          }
        }
        HdlcDecoder wide(1200), portable(1200);
        wide.use_loops(loops);
        portable.use_wide_loops(false);
        std::vector<Bytes> from_wide, from_portable;
        for (HdlcDecoder* d : {&wide, &portable}) {
          d->set_fcs(fcs);
          d->set_accm(rx_accm);
        }
        for (std::size_t i = 0; i < line.size();) {
          std::size_t chunk = std::min<std::size_t>(line.size() - i, 1 + rng() % 700);
          ByteView piece = ByteView(line).subspan(i, chunk);
          wide.feed(piece, [&](ByteView f) { from_wide.emplace_back(f.begin(), f.end()); });
          portable.feed(piece, [&](ByteView f) { from_portable.emplace_back(f.begin(), f.end()); });
          EXPECT_TRUE(std::equal(wide.partial().begin(), wide.partial().end(),
                                 portable.partial().begin(), portable.partial().end()));
          i += chunk;
        }
        EXPECT_GT(from_wide.size(), 10u);
        EXPECT_EQ(from_wide, from_portable);
        expect_same_stats(wide.stats(), portable.stats());
        EXPECT_GT(wide.stats().aborts + wide.stats().fcs_errors + wide.stats().overruns, 0u);
      }
    }
  }
}

}  // namespace
}  // namespace openras::ppp
