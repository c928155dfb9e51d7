// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AwsSignature.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>

#include <algorithm>
#include <map>

namespace flowdeck::adapters {

namespace {

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray hmac(const QByteArray &key, const QByteArray &data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256);
}

/// RFC 3986 encoding as AWS wants it: unreserved characters stay, everything else is %XX.
QByteArray awsEncode(const QByteArray &raw, bool keepSlash)
{
    QByteArray out;
    for (const char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
            (keepSlash && c == '/'))
            out += char(c);
        else
            out += '%' + QByteArray::number(c, 16).toUpper().rightJustified(2, '0');
    }
    return out;
}

/// The path with each segment encoded once (S3 aside, AWS normalises the path first).
QByteArray canonicalPath(const QUrl &url)
{
    const QByteArray path = url.path(QUrl::FullyDecoded).toUtf8();
    return path.isEmpty() ? QByteArray("/") : awsEncode(path, true);
}

/// name=value pairs sorted by name then value, each encoded.
QByteArray canonicalQuery(const QUrl &url)
{
    std::vector<std::pair<QByteArray, QByteArray>> pairs;
    const QByteArray query = url.query(QUrl::FullyEncoded).toUtf8();
    for (const QByteArray &part : query.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArray name = QByteArray::fromPercentEncoding(eq < 0 ? part : part.left(eq));
        const QByteArray value =
            eq < 0 ? QByteArray() : QByteArray::fromPercentEncoding(part.mid(eq + 1));
        pairs.emplace_back(awsEncode(name, false), awsEncode(value, false));
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &[name, value] : pairs) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

} // namespace

QList<QPair<QByteArray, QByteArray>>
awsSignatureHeaders(const AwsCredentials &credentials, const QByteArray &verb, const QUrl &url,
                    const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                    const std::string &amzDate, bool contentHash)
{
    const QByteArray date = QByteArray::fromStdString(amzDate);
    const QByteArray day = date.left(8);
    const QByteArray payloadHash = sha256Hex(body);

    QList<QPair<QByteArray, QByteArray>> added;
    added.append({"X-Amz-Date", date});
    if (!credentials.sessionToken.empty())
        added.append({"X-Amz-Security-Token", QByteArray::fromStdString(credentials.sessionToken)});
    if (contentHash)
        added.append({"X-Amz-Content-Sha256", payloadHash});

    // Every header is signed, Host included (with its port when it is not the default).
    std::map<QByteArray, QByteArray> signedHeaders;
    QByteArray host = url.host().toUtf8();
    if (url.port() > 0 && url.port() != (url.scheme() == QLatin1String("https") ? 443 : 80))
        host += ':' + QByteArray::number(url.port());
    signedHeaders["host"] = host;
    auto note = [&](const QPair<QByteArray, QByteArray> &h) {
        const QByteArray name = h.first.toLower().trimmed();
        if (name == "authorization" || name == "content-length" || name == "user-agent")
            return;
        QByteArray value = h.second.simplified();
        auto [it, fresh] = signedHeaders.try_emplace(name, value);
        if (!fresh)
            it->second += ',' + value;
    };
    for (const auto &h : headers)
        note(h);
    for (const auto &h : added)
        note(h);

    QByteArray canonicalHeaders;
    QByteArray names;
    for (const auto &[name, value] : signedHeaders) {
        canonicalHeaders += name + ':' + value + '\n';
        names += (names.isEmpty() ? "" : ";") + name;
    }
    const QByteArray canonicalRequest = verb.toUpper() + '\n' + canonicalPath(url) + '\n' +
                                        canonicalQuery(url) + '\n' + canonicalHeaders + '\n' +
                                        names + '\n' + payloadHash;
    const QByteArray scope = day + '/' + QByteArray::fromStdString(credentials.region) + '/' +
                             QByteArray::fromStdString(credentials.service) + "/aws4_request";
    const QByteArray stringToSign =
        "AWS4-HMAC-SHA256\n" + date + '\n' + scope + '\n' + sha256Hex(canonicalRequest);

    QByteArray key = hmac("AWS4" + QByteArray::fromStdString(credentials.secretKey), day);
    key = hmac(key, QByteArray::fromStdString(credentials.region));
    key = hmac(key, QByteArray::fromStdString(credentials.service));
    key = hmac(key, "aws4_request");
    const QByteArray signature = hmac(key, stringToSign).toHex();

    added.append(
        {"Authorization",
         "AWS4-HMAC-SHA256 Credential=" + QByteArray::fromStdString(credentials.accessKey) + '/' +
             scope + ", SignedHeaders=" + names + ", Signature=" + signature});
    return added;
}

std::string awsDateNow()
{
    return QDateTime::currentDateTimeUtc()
        .toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"))
        .toStdString();
}

} // namespace flowdeck::adapters
