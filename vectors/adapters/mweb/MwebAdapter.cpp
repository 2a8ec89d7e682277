// A conformance adapter (vectors/PROTOCOL.md, version 2) around Litecoin MWEB's own MMR
// code (litecoin-project/litecoin, src/libmw: mmr::MemMMR, IMMR::Root, MMRUtil, mmr::Index,
// mmr::Leaf, the BLAKE3 Hasher), for the `mweb` profile. Written for this project; no
// litecoin code is copied here: every hash, peak and root comes from calling libmw,
// compiled from a checkout by build.sh.
//
// Ops: append (MemMMR::AddLeaf of Leaf::Create at the next leaf index), state
// (GetNumNodes, GetNumLeaves, IMMR::Root, the hashes at MMRUtil::CalcPeakIndices), node
// (MemMMR::GetHash), and the arithmetic libmw has (mmr::Index, mmr::LeafIndex,
// CalcPeakIndices). MWEB's MMR has no values (`values: false`). libmw states preconditions
// with assert (MemMMR::GetHash: a position below the size; Index::GetLeafIndex: a leaf;
// the children of a leaf; CalcPeakIndices: a valid size): reads run in a forked child
// (`guarded`), and one that aborts is answered `unsupported`, not a refusal.
//
// Standard library and libmw only; a small JSON reader and writer are below.

#include <mw/mmr/MMR.h>
#include <mw/mmr/MMRUtil.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char* LIBRARY = "litecoin libmw (litecoin-project/litecoin v0.21.5.5, d8c8adc0)";

// ---------------------------------------------------------------- JSON

struct Json {
    enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
    bool b = false;
    std::string s; // String, and Number as its digits
    std::vector<Json> a;
    std::map<std::string, Json> o;

    const Json* get(const std::string& k) const
    {
        auto it = o.find(k);
        return it == o.end() ? nullptr : &it->second;
    }
};

struct Fatal : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Reader
{
public:
    explicit Reader(const std::string& s) : m_s(s) {}

    Json parse()
    {
        Json v = value();
        ws();
        if (m_i != m_s.size()) throw Fatal("JSON: garbage at column " + std::to_string(m_i));
        return v;
    }

private:
    const std::string& m_s;
    size_t m_i = 0;

    void ws()
    {
        while (m_i < m_s.size() && std::isspace(static_cast<unsigned char>(m_s[m_i]))) m_i++;
    }
    char peek()
    {
        if (m_i >= m_s.size()) throw Fatal("JSON: input ends at column " + std::to_string(m_i));
        return m_s[m_i];
    }
    void expect(char c)
    {
        if (peek() != c) throw Fatal(std::string("JSON: expected '") + c + "' at column " + std::to_string(m_i));
        m_i++;
    }
    std::string str()
    {
        expect('"');
        std::string out;
        while (true) {
            char c = peek();
            m_i++;
            if (c == '"') return out;
            if (c == '\\') {
                char e = peek();
                m_i++;
                switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'u': {
                    if (m_i + 4 > m_s.size()) throw Fatal("JSON: short \\u escape");
                    unsigned long cp = std::stoul(m_s.substr(m_i, 4), nullptr, 16);
                    m_i += 4;
                    if (cp > 0x7f) throw Fatal("JSON: non-ASCII \\u escape");
                    out += static_cast<char>(cp);
                    break;
                }
                default: out += e;
                }
            } else {
                out += c;
            }
        }
    }
    Json value()
    {
        ws();
        Json v;
        char c = peek();
        if (c == '{') {
            v.kind = Json::Object;
            m_i++;
            ws();
            if (peek() == '}') {
                m_i++;
                return v;
            }
            while (true) {
                ws();
                std::string k = str();
                ws();
                expect(':');
                v.o[k] = value();
                ws();
                if (peek() == ',') {
                    m_i++;
                } else {
                    expect('}');
                    return v;
                }
            }
        }
        if (c == '[') {
            v.kind = Json::Array;
            m_i++;
            ws();
            if (peek() == ']') {
                m_i++;
                return v;
            }
            while (true) {
                v.a.push_back(value());
                ws();
                if (peek() == ',') {
                    m_i++;
                } else {
                    expect(']');
                    return v;
                }
            }
        }
        if (c == '"') {
            v.kind = Json::String;
            v.s = str();
            return v;
        }
        for (const char* lit : {"true", "false", "null"}) {
            std::string l(lit);
            if (m_s.compare(m_i, l.size(), l) == 0) {
                m_i += l.size();
                v.kind = l == "null" ? Json::Null : Json::Bool;
                v.b = l == "true";
                return v;
            }
        }
        size_t start = m_i;
        while (m_i < m_s.size() && (std::isdigit(static_cast<unsigned char>(m_s[m_i])) || m_s[m_i] == '-')) m_i++;
        if (start == m_i) throw Fatal(std::string("JSON: unexpected '") + c + "' at column " + std::to_string(m_i));
        v.kind = Json::Number;
        v.s = m_s.substr(start, m_i - start);
        return v;
    }
};

std::string quote(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// ---------------------------------------------------------------- request fields

const std::string& field(const Json& req, const std::string& k)
{
    const Json* v = req.get(k);
    if (!v || v->kind != Json::String) throw Fatal("field " + k + " missing or not a string");
    return v->s;
}

uint64_t u64(const Json& req, const std::string& k)
{
    const std::string& s = field(req, k);
    if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) throw Fatal("field " + k + " = " + s + " is no u64");
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) throw Fatal("field " + k + " = " + s + " is no u64");
    if (s.size() == 20 && s > "18446744073709551615") throw Fatal("field " + k + " = " + s + " is no u64");
    return std::stoull(s);
}

std::vector<uint8_t> hex(const Json& req, const std::string& k)
{
    const std::string& s = field(req, k);
    if (s.size() % 2) throw Fatal("field " + k + " is no hex");
    std::vector<uint8_t> out;
    for (size_t i = 0; i < s.size(); i += 2) {
        auto nib = [&](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            throw Fatal("field " + k + " is no lowercase hex");
        };
        out.push_back(static_cast<uint8_t>(nib(s[i]) * 16 + nib(s[i + 1])));
    }
    return out;
}

std::string node(const mw::Hash& h)
{
    return "{\"hash\":" + quote(h.ToHex()) + ",\"value\":\"0\"}";
}

// ---------------------------------------------------------------- the session

struct Unsupported : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Runs `f` in a forked child and returns what it wrote. libmw states its preconditions
/// with assert (and litecoin builds with assertions on), so a call outside them aborts the
/// process: the child's abort is answered `unsupported`, naming the call, instead of
/// ending the adapter. Only reads are guarded (the child's state is thrown away).
std::string guarded(const std::string& call, const std::function<std::string()>& f)
{
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::cout.flush();
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        close(fds[0]);
        std::string out = f();
        size_t done = 0;
        while (done < out.size()) {
            ssize_t n = write(fds[1], out.data() + done, out.size() - done);
            if (n <= 0) _exit(3);
            done += static_cast<size_t>(n);
        }
        _exit(0);
    }
    close(fds[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
        throw Unsupported(call + ": libmw's assert failed (signal " + std::to_string(WTERMSIG(status)) +
                          "); a precondition its callers keep");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(call + ": the child failed");
    return out;
}

std::string number(uint64_t n) { return "{\"number\":\"" + std::to_string(n) + "\"}"; }

std::string numbers(const std::vector<uint64_t>& v)
{
    std::string out = "{\"numbers\":[";
    for (size_t i = 0; i < v.size(); i++) out += (i ? ",\"" : "\"") + std::to_string(v[i]) + "\"";
    return out + "]}";
}

/// The arithmetic functions of SCHEMA.md that libmw has (mmr::Index, mmr::LeafIndex,
/// MMRUtil::CalcPeakIndices).
std::string arith(const Json& q)
{
    const std::string& fn = field(q, "fn");
    if (fn == "height") {
        uint64_t pos = u64(q, "pos");
        return guarded("Index::At", [=] { return number(mmr::Index::At(pos).GetHeight()); });
    }
    if (fn == "leaf_index") {
        uint64_t pos = u64(q, "pos");
        return guarded("Index::GetLeafIndex", [=] { return number(mmr::Index::At(pos).GetLeafIndex()); });
    }
    if (fn == "leaf_pos") {
        uint64_t index = u64(q, "index");
        return guarded("LeafIndex::GetPosition", [=] { return number(mmr::LeafIndex::At(index).GetPosition()); });
    }
    if (fn == "peaks") {
        uint64_t size = u64(q, "size");
        return guarded("MMRUtil::CalcPeakIndices", [=] {
            std::vector<uint64_t> v;
            for (const mmr::Index& p : MMRUtil::CalcPeakIndices(size)) v.push_back(p.GetPosition());
            return numbers(v);
        });
    }
    if (fn == "parent") {
        uint64_t pos = u64(q, "pos");
        return guarded("Index::GetParent", [=] { return number(mmr::Index::At(pos).GetParent().GetPosition()); });
    }
    if (fn == "sibling") {
        uint64_t pos = u64(q, "pos");
        return guarded("Index::GetSibling", [=] { return number(mmr::Index::At(pos).GetSibling().GetPosition()); });
    }
    if (fn == "children") {
        uint64_t pos = u64(q, "pos");
        return guarded("Index::GetLeftChild", [=] {
            mmr::Index i = mmr::Index::At(pos);
            return numbers({i.GetLeftChild().GetPosition(), i.GetRightChild().GetPosition()});
        });
    }
    throw Fatal("arith function " + fn + " is not declared");
}

class Session
{
public:
    std::string handle(const Json& req)
    {
        const std::string& op = field(req, "op");
        if (op == "reset") {
            if (field(req, "profile") != "mweb") throw Fatal("profile " + field(req, "profile") + " is not served (only mweb)");
            m_mmr = std::make_unique<MemMMR>();
            return "\"unit\"";
        }
        if (op == "append") {
            mmr::LeafIndex idx = m_mmr->AddLeaf(mmr::Leaf::Create(m_mmr->GetNextLeafIdx(), hex(req, "data")));
            return "{\"number\":\"" + std::to_string(idx.Get()) + "\"}";
        }
        if (op == "state") {
            current(req);
            uint64_t size = m_mmr->GetNumNodes();
            std::string peaks;
            for (const mmr::Index& p : MMRUtil::CalcPeakIndices(size)) {
                if (!peaks.empty()) peaks += ",";
                peaks += node(m_mmr->GetHash(p));
            }
            return "{\"state\":{\"size\":\"" + std::to_string(size) + "\",\"leaf_count\":\"" +
                   std::to_string(m_mmr->GetNumLeaves()) + "\",\"root\":" + node(m_mmr->Root()) +
                   ",\"peaks\":[" + peaks + "]}}";
        }
        if (op == "node") {
            current(req);
            uint64_t pos = u64(req, "pos");
            const MemMMR& m = *m_mmr;
            return guarded("MemMMR::GetHash", [&m, pos] {
                return "{\"node\":" + node(m.GetHash(mmr::Index::At(pos))) + "}";
            });
        }
        if (op == "arith") {
            const Json* q = req.get("query");
            if (!q || q->kind != Json::Object) throw Fatal("field query missing or not an object");
            return arith(*q);
        }
        throw Fatal("op " + op + " is not implemented by this adapter");
    }

private:
    std::unique_ptr<MemMMR> m_mmr = std::make_unique<MemMMR>();

    static void current(const Json& req)
    {
        const Json* at = req.get("at");
        if (at && !(at->kind == Json::String && at->s == "current")) throw Fatal("reads at a block height are not served");
    }
};

} // namespace

int main()
{
    std::ios::sync_with_stdio(false);
    std::cout << "{\"protocol\":\"mmr-conformance\",\"version\":\"2\",\"name\":\"mweb-adapter\","
                 "\"profiles\":[\"mweb\"],\"ops\":[\"append\",\"state\",\"node\",\"arith\"],"
                 "\"arith\":[\"height\",\"leaf_index\",\"leaf_pos\",\"peaks\",\"parent\",\"sibling\",\"children\"],"
                 "\"values\":false,\"library\":"
              << quote(LIBRARY) << "}" << std::endl;
    Session session;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        std::string id = "null";
        std::string out;
        try {
            Json req = Reader(line).parse();
            if (req.kind != Json::Object) throw Fatal("a request must be a JSON object");
            if (const Json* i = req.get("id")) id = i->kind == Json::Number ? i->s : "null";
            try {
                out = "{\"id\":" + id + ",\"result\":" + session.handle(req) + "}";
            } catch (const Unsupported& u) {
                std::cerr << "id " << id << ": unsupported: " << u.what() << std::endl;
                out = "{\"id\":" + id + ",\"result\":{\"error\":\"unsupported\",\"reason\":" + quote(u.what()) + "}}";
            }
        } catch (const Fatal& f) {
            out = "{\"id\":" + id + ",\"fatal\":" + quote(f.what()) + "}";
        } catch (const std::exception& e) {
            out = "{\"id\":" + id + ",\"fatal\":" + quote(std::string("libmw threw: ") + e.what()) + "}";
        }
        std::cout << out << std::endl;
    }
}
