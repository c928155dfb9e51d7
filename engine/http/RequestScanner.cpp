// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/RequestScanner.h"

#include <QList>

#include <algorithm>

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

} // namespace

RequestScanner::Verdict RequestScanner::headersComplete(const QByteArray &head)
{
    bool expectContinue = false;
    bool chunked = false;
    bool upgrade = false;
    std::int64_t length = -1;
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // line 0 is the request line
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            std::int64_t parsed = 0;
            // Two different lengths are a request-smuggling trick: refuse them.
            if (!parseDecimal(value, parsed) || (length >= 0 && parsed != length))
                return Verdict::Malformed;
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
        return Verdict::Malformed;
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
    m_continuePending = expectContinue && m_remaining > 0;
    return Verdict::Continue;
}

RequestScanner::Verdict RequestScanner::feed(const char *data, std::int64_t size)
{
    std::int64_t pos = 0;
    while (m_final == Verdict::Continue && pos < size) {
        switch (m_state) {
        case State::Headers: {
            const qsizetype before = m_line.size();
            const std::int64_t take =
                std::min<std::int64_t>(size - pos, m_maxHeader + 4 - m_line.size());
            m_line.append(data + pos, take);
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
            m_final = headersComplete(head);
            break;
        }
        case State::Body: {
            const std::int64_t take = std::min(size - pos, m_remaining);
            pos += take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::Headers;
            break;
        }
        case State::ChunkSize:
        case State::Trailers: {
            const char c = data[pos++];
            if (c != '\n') {
                m_line.append(c);
                if (m_line.size() > kMaxChunkLine)
                    m_final =
                        m_state == State::Trailers ? Verdict::HeadersTooLarge : Verdict::Malformed;
                break;
            }
            QByteArray line = m_line.trimmed();
            m_line.clear();
            if (m_state == State::Trailers) {
                if (line.isEmpty())
                    m_state = State::Headers;
                break;
            }
            if (const qsizetype semi = line.indexOf(';'); semi >= 0)
                line = line.left(semi).trimmed(); // chunk extensions carry nothing we use
            bool ok = false;
            const std::int64_t chunk = line.size() <= 15 ? line.toLongLong(&ok, 16) : 0;
            if (!ok || chunk < 0) {
                m_final = Verdict::Malformed;
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
                m_final = Verdict::Malformed;
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
