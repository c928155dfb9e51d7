// SPDX-License-Identifier: GPL-3.0-or-later
// AWS Signature Version 4, for adapters whose authentication is aws_authentication (Itential's
// AWS EC2 adapter, the one real workflows call most): the canonical request over the method,
// the path, the sorted query, the signed headers and the body's SHA-256; the string to sign
// with the date, region and service; the signing key derived by HMAC-SHA256 from the secret.
// Written from AWS's published description and checked against its published test vectors.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <string>

namespace flowdeck::adapters {

struct AwsCredentials
{
    std::string accessKey;
    std::string secretKey;
    std::string sessionToken; ///< empty when none
    std::string region;
    std::string service;
};

/// The headers to add to the request so AWS accepts it: X-Amz-Date, X-Amz-Security-Token (with
/// a session token), X-Amz-Content-Sha256 when `contentHash` and Authorization. `headers` are
/// those the request already has (all of them are signed, with Host); `amzDate` is
/// "YYYYMMDDTHHMMSSZ".
QList<QPair<QByteArray, QByteArray>>
awsSignatureHeaders(const AwsCredentials &credentials, const QByteArray &verb, const QUrl &url,
                    const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                    const std::string &amzDate, bool contentHash = false);

/// The current time in AWS's form, "YYYYMMDDTHHMMSSZ".
std::string awsDateNow();

} // namespace flowdeck::adapters
