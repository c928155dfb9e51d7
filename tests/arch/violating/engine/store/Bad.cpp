// A deliberate violation: the store must not use Qt.
#include <QString>
