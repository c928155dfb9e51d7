// A deliberate violation: ui must not include the store.
#include "engine/store/Store.h"
