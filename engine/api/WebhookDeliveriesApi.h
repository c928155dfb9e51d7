// SPDX-License-Identifier: GPL-3.0-or-later
// An automation's completion webhook delivery log (docs/automations.md, "Completion
// webhooks"): GET /operations-manager/automations/:id/deliveries.
#pragma once

#include "engine/api/EngineApi.h"

namespace flowdeck::api::webhooks {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

/// A delivery as the API answers it.
nlohmann::json deliveryDocument(const store::WebhookDeliveryRecord &delivery);

} // namespace flowdeck::api::webhooks
