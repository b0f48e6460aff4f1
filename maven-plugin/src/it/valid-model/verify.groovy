// The build passed (invoker checks that); the goal must have run and found no error.
def log = new File(basedir, 'build.log').text
assert log =~ /modelbridge-maven-plugin:[^:]+:validate/
assert log.contains('ModelBridge checked 1 model file in ')
assert log.contains(': 0 errors, ')
assert !log.contains('[ERROR]')
return true
