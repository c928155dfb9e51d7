// SPDX-License-Identifier: GPL-3.0-or-later
// Reads an Itential adapter package's folder into the files its definition is made from, as
// the API takes them ({"itential": files}). Its own small library (QtCore and the model only)
// because both sides read folders: the command line and the engine, and the window, which
// reads the operator's folder and sends the files like it sends an OpenAPI file's text.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::adapters {

/// The files of a package as read from its folder: relative path → its parsed JSON (for .json
/// files) or its text (adapter.js, XML mock data). Only what a definition needs:
/// pronghorn.json, adapter.js, propertiesSchema.json, package.json and everything under
/// entities/. Invalid naming the folder and each file that is missing, too large or not JSON.
Result<nlohmann::json> readItentialPackage(const std::string &folder);

} // namespace flowdeck::adapters
