// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/RequestScanner.h"

#include <QList>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace flowdeck::http {
namespace {

constexpr std::int64_t kMaxChunkLine = 1024;

/// The end of the header block in `head` (index after the blank line), or -1.
qsizetype headerEnd(const QByteArray &head)
{
    const qsizetype crlf = head.indexOf("\r\n\r\n");
    const qsizetype lf = head.indexOf("\n\n");
    if (crlf >= 0 && (lf < 0 || crlf < lf))
        return crlf + 4;
    return lf >= 0 ? lf + 2 : -1;
}

bool parseDecimal(const QByteArray &text, std::int64_t &out)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

/// RFC 9110 §5.6.2: the characters of a method or header name.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(const QByteArray &text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

/// True while the start of a request line can still be a method followed by a space.
bool startsLikeAMethod(const QByteArray &partial)
{
    const qsizetype space = partial.indexOf(' ');
    const qsizetype end = space < 0 ? partial.size() : space;
    for (qsizetype i = 0; i < end; ++i)
        if (!isTokenChar(partial[i]) && partial[i] != '\r')
            return false;
    return true;
}

QByteArray withoutCr(const QByteArray &line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

} // namespace

RequestScanner::Phase RequestScanner::phase() const
{
    if (m_state == State::Headers)
        return m_line.isEmpty() ? Phase::Idle : Phase::Headers;
    return Phase::Body;
}

RequestScanner::Verdict RequestScanner::refuse(Verdict verdict, std::string problem)
{
    m_problem = std::move(problem);
    return verdict;
}

RequestScanner::Verdict RequestScanner::checkRequestLine(const QByteArray &raw)
{
    const QByteArray line = withoutCr(raw);
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (firstSpace > 0 && secondSpace < 0 && isToken(line.left(firstSpace)))
        return refuse(Verdict::Malformed,
                      "the request line has no HTTP version (HTTP/0.9 is not served); send "
                      "\"METHOD /path HTTP/1.1\"");
    if (firstSpace <= 0 || secondSpace < 0)
        return refuse(Verdict::Malformed,
                      "the request line must be \"METHOD /path HTTP/1.1\", single spaces apart");
    const QByteArray method = line.left(firstSpace);
    const QByteArray target = line.mid(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArray version = line.mid(secondSpace + 1);
    if (!isToken(method))
        return refuse(Verdict::Malformed, "the request method is not a token (letters, digits "
                                          "and !#$%&'*+-.^_`|~)");
    const bool targetOk =
        !target.isEmpty() &&
        std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (!targetOk)
        return refuse(Verdict::Malformed,
                      "the request target must be non-empty visible ASCII (escape the rest "
                      "with %XX)");
    const bool versionShape = version.size() == 8 && version.startsWith("HTTP/") &&
                              std::isdigit(static_cast<unsigned char>(version[5])) &&
                              version[6] == '.' &&
                              std::isdigit(static_cast<unsigned char>(version[7]));
    if (!versionShape)
        return refuse(Verdict::Malformed, "the request line must end in an HTTP version such as "
                                          "HTTP/1.1");
    // 400 rather than 505: the client chose the wrong protocol, nothing failed here.
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return refuse(Verdict::Malformed,
                      version.toStdString() + " is not served here; speak HTTP/1.1");
    // The methods QHttpServer's parser knows and Flowdeck answers; others it would hang up on.
    static constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                    "PATCH", "DELETE", "OPTIONS"};
    const std::string_view name(method.constData(), std::size_t(method.size()));
    if (std::find(std::begin(kMethods), std::end(kMethods), name) == std::end(kMethods))
        return refuse(Verdict::MethodNotAllowed,
                      method.toStdString() +
                          " is not allowed here; the API uses GET, POST, PUT, PATCH and DELETE");
    return Verdict::Continue;
}

RequestScanner::Verdict RequestScanner::headersComplete(const QByteArray &head)
{
    bool expectContinue = false;
    bool chunked = false;
    bool upgrade = false;
    std::int64_t length = -1;
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // line 0 is the request line
        const QByteArray line = withoutCr(lines[i]);
        if (line.isEmpty())
            continue; // the blank line that ends the block
        if (line.front() == ' ' || line.front() == '\t')
            return refuse(Verdict::Malformed,
                          "header line " + std::to_string(i) +
                              " starts with whitespace (folded header lines are not accepted)");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return refuse(Verdict::Malformed,
                          "header line " + std::to_string(i) + " is not \"Name: value\"");
        const QByteArray rawValue = line.mid(colon + 1);
        if (std::any_of(rawValue.begin(), rawValue.end(), [](char c) {
                return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
            }))
            return refuse(Verdict::Malformed, "header line " + std::to_string(i) +
                                                  " has a control character in its value");
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = rawValue.trimmed();
        if (name == "content-length") {
            std::int64_t parsed = 0;
            // Two different lengths are a request-smuggling trick: refuse them.
            if (!parseDecimal(value, parsed) || (length >= 0 && parsed != length))
                return refuse(Verdict::Malformed,
                              "Content-Length must be one decimal number, given once");
            length = parsed;
        } else if (name == "transfer-encoding") {
            chunked = value.toLower().contains("chunked");
        } else if (name == "upgrade") {
            upgrade = value.toLower().contains("websocket");
        } else if (name == "expect") {
            expectContinue = value.toLower() == "100-continue";
        }
    }
    if (upgrade)
        return Verdict::Upgrade;
    if (chunked && length >= 0)
        return refuse(Verdict::Malformed,
                      "Content-Length and Transfer-Encoding: chunked cannot be used together");
    m_bodyReceived = 0;
    if (chunked) {
        m_chunkedTotal = 0;
        m_state = State::ChunkSize;
        m_continuePending = expectContinue;
        return Verdict::Continue;
    }
    if (length > m_maxBody)
        return Verdict::BodyTooLarge;
    m_remaining = std::max<std::int64_t>(length, 0);
    m_state = m_remaining > 0 ? State::Body : State::Headers;
    if (m_state == State::Headers)
        ++m_completed;
    m_continuePending = expectContinue && m_remaining > 0;
    return Verdict::Continue;
}

RequestScanner::Verdict RequestScanner::feed(const char *data, std::int64_t size)
{
    std::int64_t pos = 0;
    while (m_final == Verdict::Continue && pos < size) {
        switch (m_state) {
        case State::Headers: {
            // Empty lines before a request line are ignored (RFC 9112 §2.2), as QHttpServer's
            // parser does.
            if (m_line.isEmpty()) {
                while (pos < size && (data[pos] == '\r' || data[pos] == '\n'))
                    ++pos;
                if (pos == size)
                    break;
            }
            const qsizetype before = m_line.size();
            const std::int64_t take =
                std::min<std::int64_t>(size - pos, m_maxHeader + 4 - m_line.size());
            m_line.append(data + pos, take);
            if (!m_requestLineChecked) {
                // Checked as soon as it ends: an HTTP/0.9 request never sends a blank line.
                if (const qsizetype eol = m_line.indexOf('\n'); eol >= 0) {
                    m_requestLineChecked = true;
                    m_final = checkRequestLine(m_line.left(eol));
                    if (m_final != Verdict::Continue)
                        break;
                } else if (!startsLikeAMethod(m_line)) {
                    // Another protocol (a TLS hello on the plain port, say) is told at once
                    // rather than waited on until a line end that may never come.
                    m_final = refuse(Verdict::Malformed,
                                     "this is not an HTTP request: it does not start with a "
                                     "method (is it TLS or another protocol on the plain HTTP "
                                     "port?)");
                    break;
                }
            }
            const qsizetype end = headerEnd(m_line);
            if (end < 0) {
                if (m_line.size() > m_maxHeader)
                    m_final = Verdict::HeadersTooLarge;
                pos += take;
                break;
            }
            if (end > m_maxHeader) {
                m_final = Verdict::HeadersTooLarge;
                break;
            }
            pos += end - before;
            const QByteArray head = m_line.left(end);
            m_line.clear();
            m_requestLineChecked = false;
            m_final = headersComplete(head);
            break;
        }
        case State::Body: {
            const std::int64_t take = std::min(size - pos, m_remaining);
            pos += take;
            m_bodyReceived += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_state = State::Headers;
                ++m_completed;
            }
            break;
        }
        case State::ChunkSize:
        case State::Trailers: {
            const char c = data[pos++];
            if (c != '\n') {
                m_line.append(c);
                if (m_line.size() > kMaxChunkLine)
                    m_final = m_state == State::Trailers
                                  ? Verdict::HeadersTooLarge
                                  : refuse(Verdict::Malformed, "a chunk-size line is too long");
                break;
            }
            QByteArray line = m_line.trimmed();
            m_line.clear();
            if (m_state == State::Trailers) {
                if (line.isEmpty()) {
                    m_state = State::Headers;
                    ++m_completed;
                }
                break;
            }
            if (const qsizetype semi = line.indexOf(';'); semi >= 0)
                line = line.left(semi).trimmed(); // chunk extensions carry nothing we use
            bool ok = false;
            const std::int64_t chunk = line.size() <= 15 ? line.toLongLong(&ok, 16) : 0;
            if (!ok || chunk < 0) {
                m_final = refuse(Verdict::Malformed, "a chunk size is not a hexadecimal number");
                break;
            }
            if (chunk == 0) {
                m_state = State::Trailers;
                break;
            }
            m_chunkedTotal += chunk;
            if (m_chunkedTotal > m_maxBody) {
                m_final = Verdict::BodyTooLarge;
                break;
            }
            m_remaining = chunk;
            m_state = State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const std::int64_t take = std::min(size - pos, m_remaining);
            pos += take;
            m_bodyReceived += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_state = State::ChunkDataEnd;
                m_remaining = 0;
            }
            break;
        }
        case State::ChunkDataEnd: {
            // The CRLF after a chunk's data; a bare LF is tolerated like elsewhere.
            const char c = data[pos++];
            if (c == '\n')
                m_state = State::ChunkSize;
            else if (c != '\r')
                m_final = refuse(Verdict::Malformed, "a chunk's data does not end with CRLF");
            break;
        }
        case State::Done:
            pos = size;
            break;
        }
    }
    return m_final;
}

} // namespace flowdeck::http
